using Gateway.Core.Errors;

namespace Gateway.Core.Resilience;

/// <summary>
/// Which failures before the first byte send a request to another deployment of its route, count
/// against that deployment's circuit breaker, and send a turn to a fallback route: the upstream could
/// not be reached or broke off before answering, a timeout fired, or it answered 429 or a 5xx.
/// A request the upstream rejected (400, 401, 403) would fail the same way anywhere.
/// </summary>
internal static class FailoverPolicy
{
    public static bool ShouldFailOver(Exception exception) => exception is GatewayException
    {
        ErrorCode: GatewayErrorCodes.UpstreamUnavailable or GatewayErrorCodes.UpstreamTimeout,
    } || exception is GatewayException { ErrorCode: GatewayErrorCodes.UpstreamError } error
        && error.Extensions.TryGetValue("upstreamStatus", out var status) && status is int code && (code == 429 || code >= 500);
}
