using Gateway.Core.Configuration;
using Gateway.Core.Metrics;
using Gateway.Core.Resilience;
using Gateway.Core.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.AI;

/// <summary>
/// The gateway's own steps of a route's chat pipeline, as <see cref="ChatClientBuilder"/> extensions
/// beside Microsoft.Extensions.AI's <c>UseOpenTelemetry()</c>, <c>UseLogging()</c> and the rest.
/// <c>ChatService</c> builds every route's client as
/// <c>new ChatClientBuilder(provider).</c>(the app's steps)<c>.UseGatewayMetrics(route).UseTotalTimeout(route)</c>.
/// Both resolve what they need from the services the pipeline is built with, which <c>AddGateway()</c> registers.
/// </summary>
public static class GatewayChatClientBuilderExtensions
{
    /// <summary>
    /// Records every request of <paramref name="route"/> on the <c>Gateway.Core</c> meter (requests,
    /// duration, upstream errors, tokens, time to first token, open streams) and into the route's
    /// latency window shown by <c>/api/models</c>. Adds no allocation per streamed update.
    /// </summary>
    /// <param name="builder">The route's pipeline.</param>
    /// <param name="route">The route the requests are counted under (its key and provider become the tags).</param>
    /// <returns><paramref name="builder"/>, for chaining.</returns>
    public static ChatClientBuilder UseGatewayMetrics(this ChatClientBuilder builder, ModelRoute route)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(route);
        return builder.Use((inner, services) => new MetricsChatClient(
            inner,
            route,
            services.GetRequiredService<GatewayMetrics>(),
            services.GetRequiredService<ModelLatencyTracker>().For(route.Key),
            services.GetService<TimeProvider>() ?? TimeProvider.System));
    }

    /// <summary>
    /// Ends a whole call, streaming included, after <paramref name="timeout"/> (by default
    /// <c>TOTAL_TIMEOUT_SECONDS</c>) with an <c>upstream_timeout</c> <c>GatewayException</c> naming the total timeout.
    /// A caller's own cancellation stays a cancellation.
    /// </summary>
    /// <param name="builder">The route's pipeline.</param>
    /// <param name="route">The route named in the timeout error.</param>
    /// <param name="timeout">The limit; <see langword="null"/> reads the gateway's <c>TotalTimeoutSeconds</c>.</param>
    /// <returns><paramref name="builder"/>, for chaining.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="timeout"/> is not positive.</exception>
    public static ChatClientBuilder UseTotalTimeout(this ChatClientBuilder builder, ModelRoute route, TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(route);
        if (timeout is { } limit)
        {
            ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(limit, TimeSpan.Zero, nameof(timeout));
        }

        return builder.Use((inner, services) => new TotalTimeoutChatClient(
            inner,
            route,
            timeout ?? TimeSpan.FromSeconds(services.GetRequiredService<IOptions<GatewayOptions>>().Value.TotalTimeoutSeconds),
            services.GetService<TimeProvider>() ?? TimeProvider.System));
    }
}
