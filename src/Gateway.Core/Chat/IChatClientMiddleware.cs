using Gateway.Core.Routing;
using Microsoft.Extensions.AI;

namespace Gateway.Core.Chat;

/// <summary>
/// A step of the per-route chat pipeline (metrics, rate limiting, retries, …), usually a
/// <see cref="DelegatingChatClient"/>. Middlewares wrap the provider's client in registration order:
/// the first registered is the outermost.
/// </summary>
public interface IChatClientMiddleware
{
    /// <summary>Wraps <paramref name="inner"/> for <paramref name="route"/>.</summary>
    IChatClient Wrap(IChatClient inner, ModelRoute route);
}
