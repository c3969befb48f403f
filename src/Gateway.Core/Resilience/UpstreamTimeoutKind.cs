namespace Gateway.Core.Resilience;

/// <summary>Which of the upstream timeouts fired.</summary>
public enum UpstreamTimeoutKind
{
    /// <summary><c>CONNECT_TIMEOUT_SECONDS</c>: opening the connection.</summary>
    Connect,

    /// <summary><c>WRITE_TIMEOUT_SECONDS</c>: sending the request.</summary>
    Write,

    /// <summary><c>READ_TIMEOUT_SECONDS</c>: silence while waiting for the answer's next bytes.</summary>
    Read,

    /// <summary><c>TOTAL_TIMEOUT_SECONDS</c>: the whole call.</summary>
    Total,
}
