using Gateway.Core.Chat;
using Gateway.Core.Routing;
using Microsoft.Extensions.AI;

namespace Gateway.Core.Metrics;

/// <summary>Puts <see cref="MetricsChatClient"/> around each route's pipeline.</summary>
internal sealed class MetricsChatClientMiddleware(GatewayMetrics metrics, ModelLatencyTracker latency, TimeProvider time)
    : IChatClientMiddleware
{
    public IChatClient Wrap(IChatClient inner, ModelRoute route) =>
        new MetricsChatClient(inner, route, metrics, latency.For(route.Key), time);
}
