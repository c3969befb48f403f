using Gateway.Core.Routing;
using Microsoft.Extensions.AI;

namespace Gateway.Core.Chat;

/// <summary>
/// The app's own steps of the routes' chat pipelines, filled by <c>ConfigureChatPipeline(…)</c> on the
/// gateway builder. When <see cref="ChatService"/> first builds a route's client it runs every step on
/// a <see cref="ChatClientBuilder"/> over the provider's client, in registration order, and then adds
/// the gateway's own <c>UseGatewayMetrics()</c> and <c>UseTotalTimeout()</c>: the first step registered
/// is the outermost, and every app step wraps the gateway's metrics, timeout and provider.
/// </summary>
public sealed class ChatPipelineOptions
{
    /// <summary>The steps, in registration order; each is called with the route being built and its builder.</summary>
    public IList<Action<ModelRoute, ChatClientBuilder>> Steps { get; } = [];

    /// <summary>Route keys that steps were registered for by name; start-up fails when one names no configured route.</summary>
    public ISet<RouteKey> NamedRoutes { get; } = new HashSet<RouteKey>();

    /// <summary>
    /// Whether each route's pipeline records OpenTelemetry GenAI spans and metrics (Microsoft.Extensions.AI's
    /// <c>UseOpenTelemetry()</c>, inside the app's steps, around the gateway's own); set by <c>AddOpenTelemetry()</c>
    /// on the gateway builder. Default <see langword="false"/>.
    /// </summary>
    public bool OpenTelemetry { get; set; }
}
