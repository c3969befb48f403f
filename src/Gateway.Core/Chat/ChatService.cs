using System.Collections.Concurrent;
using Gateway.Core.Errors;
using Gateway.Core.Providers;
using Gateway.Core.Routing;
using Microsoft.Extensions.AI;

namespace Gateway.Core.Chat;

/// <summary>
/// The one entry point the HTTP layer calls for a chat turn: resolve the route, enforce the
/// allowlist, validate the request and run it through the route's pipeline: the registered
/// middlewares (metrics, then the total timeout) around the provider's client, whose HTTP calls
/// carry the connect/write/read timeouts and the retries.
/// </summary>
public sealed class ChatService
{
    private readonly ConcurrentDictionary<RouteKey, IChatClient> _clients = new();
    private readonly Dictionary<string, IChatProvider> _providers;
    private readonly IChatClientMiddleware[] _middlewares;

    /// <summary>Creates the service; normally resolved from DI after <c>AddGateway()</c>.</summary>
    public ChatService(
        ModelRouter router,
        IEnumerable<IChatProvider> providers,
        IEnumerable<IChatClientMiddleware> middlewares)
    {
        Router = router;
        _providers = new Dictionary<string, IChatProvider>(StringComparer.OrdinalIgnoreCase);
        foreach (var provider in providers)
        {
            _providers.TryAdd(provider.Name, provider);
        }

        _middlewares = middlewares.ToArray();
    }

    /// <summary>Resolves routes and enforces the allowlist.</summary>
    public ModelRouter Router { get; }

    /// <summary>Runs a chat turn to completion.</summary>
    /// <exception cref="GatewayException">The request is invalid, or the upstream failed or timed out.</exception>
    public Task<ChatResponse> CompleteAsync(
        ModelRoute route, IReadOnlyList<ChatMessage> messages, ChatOptions? options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(route);
        ChatRequestValidator.Validate(messages, options);
        return GetClient(route).GetResponseAsync(messages, options, cancellationToken);
    }

    /// <summary>
    /// Streams a chat turn. The request is validated now, before the first update is asked for, so a
    /// caller can still answer with a plain error status.
    /// </summary>
    /// <exception cref="GatewayException">The request is invalid (thrown at once), or the upstream failed or timed out (thrown while enumerating).</exception>
    public IAsyncEnumerable<ChatResponseUpdate> StreamAsync(
        ModelRoute route, IReadOnlyList<ChatMessage> messages, ChatOptions? options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(route);
        ChatRequestValidator.Validate(messages, options);
        return GetClient(route).GetStreamingResponseAsync(messages, options, cancellationToken);
    }

    /// <summary>The route's client: its provider's client wrapped in every registered middleware, built once.</summary>
    public IChatClient GetClient(ModelRoute route) =>
        _clients.GetOrAdd(route.Key, static (_, state) => state.self.BuildClient(state.route), (self: this, route));

    private IChatClient BuildClient(ModelRoute route)
    {
        var client = _providers[route.Provider].CreateClient(route);
        for (var i = _middlewares.Length - 1; i >= 0; i--)
        {
            client = _middlewares[i].Wrap(client, route);
        }

        return client;
    }
}
