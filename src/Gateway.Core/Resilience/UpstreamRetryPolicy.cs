using System.Net;
using Gateway.Core.Errors;
using Polly;

namespace Gateway.Core.Resilience;

/// <summary>
/// Which failed attempts are worth another try: the connection could not be made (refused, no such
/// host, connect timeout) or the upstream said it is busy or briefly broken (429, 502, 503, 504).
/// A request that reached the model and failed otherwise is not repeated.
/// </summary>
internal static class UpstreamRetryPolicy
{
    public static bool ShouldRetry(Outcome<HttpResponseMessage> outcome) => outcome switch
    {
        { Result: { } response } => response.StatusCode is HttpStatusCode.TooManyRequests
            or HttpStatusCode.BadGateway
            or HttpStatusCode.ServiceUnavailable
            or HttpStatusCode.GatewayTimeout,
        { Exception: HttpRequestException { HttpRequestError: HttpRequestError.ConnectionError or HttpRequestError.NameResolutionError } } => true,
        { Exception: GatewayException { ErrorCode: GatewayErrorCodes.UpstreamTimeout } timeout } => Equals(timeout.Extensions["timeout"], "connect"),
        _ => false,
    };
}
