using Gateway.AspNetCore.RateLimiting.Internal;
using Gateway.Core.Errors;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Gateway.AspNetCore.Internal;

/// <summary>
/// Runs around every authenticated gateway endpoint (authentication and, with <c>RATE_LIMIT_PER_MIN</c>,
/// the rate limiter have run before it; without <c>app.UseRateLimiter()</c> it answers 500), then turns a
/// <see cref="GatewayException"/> into its problem response. Anything else that escapes a handler is
/// a bug: it is logged and answered with a 500 problem body, never an empty 500.
/// </summary>
internal sealed partial class GatewayEndpointFilter(
    bool rateLimited, ILogger<GatewayEndpointFilter> logger)
    : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        if (rateLimited && http.Features.Get<RateLimitChecked>() is null)
        {
            // Without the middleware the configured limit would silently not apply.
            LogRateLimiterMissing(logger);
            return GatewayProblems.Result(GatewayProblems.Create(
                http,
                StatusCodes.Status500InternalServerError,
                GatewayErrorCodes.InternalError,
                "RATE_LIMIT_PER_MIN is set but the app runs no rate limiter: call app.UseRateLimiter() when building the pipeline."));
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

    [LoggerMessage(Level = LogLevel.Information, Message = "Request failed with {ErrorCode}: {Detail}")]
    private static partial void LogGatewayError(ILogger logger, string errorCode, string detail);

    [LoggerMessage(Level = LogLevel.Error, Message = "RATE_LIMIT_PER_MIN is set but app.UseRateLimiter() was not called: the gateway refuses the request instead of serving it without a limit")]
    private static partial void LogRateLimiterMissing(ILogger logger);

    [LoggerMessage(Level = LogLevel.Error, Message = "Unexpected failure while serving a gateway request")]
    private static partial void LogUnexpectedError(ILogger logger, Exception exception);
}
