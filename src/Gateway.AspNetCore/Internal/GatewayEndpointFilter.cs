using System.Globalization;
using Gateway.AspNetCore.RateLimiting.Internal;
using Gateway.Core.Errors;
using Gateway.Core.RateLimiting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Gateway.AspNetCore.Internal;

/// <summary>
/// Runs around every authenticated gateway endpoint (authentication has run before it): counts the request against
/// the caller's rate limit (429 with <c>Retry-After</c> when over it), then turns a
/// <see cref="GatewayException"/> into its problem response. Anything else that escapes a handler is
/// a bug: it is logged and answered with a 500 problem body, never an empty 500.
/// </summary>
internal sealed partial class GatewayEndpointFilter(
    IRequestRateLimiter rateLimiter, int rateLimitPerMinute, GatewayHttpMetrics metrics, ILogger<GatewayEndpointFilter> logger)
    : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        if (rateLimitPerMinute > 0)
        {
            var decision = await rateLimiter.AcquireAsync(CallerPartition.Of(http), rateLimitPerMinute, http.RequestAborted).ConfigureAwait(false);
            if (!decision.Admitted)
            {
                return RateLimited(http, decision);
            }
        }

        try
        {
            return await next(context).ConfigureAwait(false);
        }
        catch (GatewayException ex) when (!http.Response.HasStarted)
        {
            LogGatewayError(logger, ex.ErrorCode, ex.Message);
            if (ex.Kind == GatewayErrorKind.Unavailable)
            {
                // A busy database clears in moments; tell well-behaved clients when to come back.
                http.Response.Headers.RetryAfter = "1";
            }

            return GatewayProblems.Result(GatewayProblems.Create(http, ex));
        }
        catch (OperationCanceledException) when (http.RequestAborted.IsCancellationRequested)
        {
            // The client went away; there is no one to answer.
            return Results.Empty;
        }
        catch (Exception ex) when (!http.Response.HasStarted)
        {
            LogUnexpectedError(logger, ex);
            return GatewayProblems.Result(GatewayProblems.Create(
                http,
                StatusCodes.Status500InternalServerError,
                GatewayErrorCodes.InternalError,
                "The gateway failed unexpectedly. This is a bug; the trace id identifies it in the logs."));
        }
    }

    private IResult RateLimited(HttpContext http, RateLimitDecision decision)
    {
        metrics.RateLimited.Add(1);
        var seconds = Math.Max(1, (int)Math.Ceiling(decision.RetryAfter.TotalSeconds));
        http.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        return GatewayProblems.Result(GatewayProblems.Create(
            http,
            StatusCodes.Status429TooManyRequests,
            GatewayErrorCodes.RateLimited,
            $"Too many requests: the limit is {decision.Limit} per minute (RATE_LIMIT_PER_MIN). Retry in {seconds} s.",
            new Dictionary<string, object?> { ["limit"] = decision.Limit, ["retryAfterSeconds"] = seconds }));
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Request failed with {ErrorCode}: {Detail}")]
    private static partial void LogGatewayError(ILogger logger, string errorCode, string detail);

    [LoggerMessage(Level = LogLevel.Error, Message = "Unexpected failure while serving a gateway request")]
    private static partial void LogUnexpectedError(ILogger logger, Exception exception);
}
