namespace Gateway.Core.Jobs.Internal;

/// <summary>Why the worker fired a running job's token, which decides how the claim ends whatever the handler did then.</summary>
internal enum JobStopReason
{
    /// <summary>Not stopped by a heartbeat: the handler ended on its own, or the host is stopping (released).</summary>
    None,

    /// <summary>Asked to pause: finished as paused, its checkpoint kept.</summary>
    Pause,

    /// <summary>Asked to cancel: finished as cancelled. Wins over a pause.</summary>
    Cancel,

    /// <summary>Another worker holds the job now: nothing is written.</summary>
    LeaseLost,
}
