using Gateway.Core.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Polly;
using Polly.Retry;
using Polly.Telemetry;

namespace Gateway.Core.Resilience;

/// <summary>
/// The retry handler of the upstream <see cref="HttpClient"/> (ADR 0006). Polly's own telemetry would log
/// an <c>info</c> line for every attempt and an error for every failed one; here each retry is one
/// warning naming the route, the reason and the wait, and a call that succeeds logs nothing.
/// </summary>
internal static partial class UpstreamRetryPipeline
{
    private const string LoggerCategory = "Gateway.Core.Resilience.UpstreamRetry";

    public static void Configure(ResiliencePipelineBuilder<HttpResponseMessage> pipeline, ResilienceHandlerContext context)
    {
        var options = context.ServiceProvider.GetRequiredService<IOptions<GatewayOptions>>().Value;
        var logger = context.ServiceProvider.GetRequiredService<ILoggerFactory>().CreateLogger(LoggerCategory);
        pipeline.ConfigureTelemetry(new TelemetryOptions(context.GetOptions<TelemetryOptions>())
        {
            SeverityProvider = static _ => ResilienceEventSeverity.None,
        });
        if (options.UpstreamMaxRetries == 0)
        {
            return;
        }

        pipeline.AddRetry(new HttpRetryStrategyOptions
        {
            MaxRetryAttempts = options.UpstreamMaxRetries,
            BackoffType = DelayBackoffType.Exponential,
            UseJitter = true,
            Delay = TimeSpan.FromMilliseconds(options.UpstreamRetryDelayMilliseconds),
            MaxDelay = TimeSpan.FromSeconds(30),
            ShouldRetryAfterHeader = true,
            ShouldHandle = static args => ValueTask.FromResult(UpstreamRetryPolicy.ShouldRetry(args.Outcome)),
            OnRetry = args =>
            {
                LogRetry(logger, args);
                return ValueTask.CompletedTask;
            },
        });
    }

    private static void LogRetry(ILogger logger, OnRetryArguments<HttpResponseMessage> args)
    {
        if (!logger.IsEnabled(LogLevel.Warning))
        {
            return;
        }

        var request = args.Context.GetRequestMessage();
        var route = request is not null && request.Options.TryGetValue(UpstreamRequestOptions.Route, out var named) ? named.Key.Value : "?";
        var reason = args.Outcome switch
        {
            { Result: { } response } => $"HTTP {(int)response.StatusCode}",
            { Exception: { } exception } => exception.Message,
            _ => "unknown",
        };
        LogRetrying(logger, route, request?.RequestUri?.GetLeftPart(UriPartial.Authority), reason, args.AttemptNumber + 1, args.RetryDelay.TotalMilliseconds);
    }

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "Route '{ModelKey}': the upstream at {Upstream} failed ({Reason}); retry {Retry} in {DelayMs:0} ms.")]
    private static partial void LogRetrying(ILogger logger, string modelKey, string? upstream, string reason, int retry, double delayMs);
}
