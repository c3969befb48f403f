using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Gateway.Core.Configuration;
using Gateway.Core.Errors;
using Gateway.Core.Providers;
using Gateway.Core.Routing;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Options;

namespace Gateway.Core.Chat;

/// <summary>
/// The one entry point the HTTP layer calls for a chat turn: resolve the route, enforce the
/// allowlist, validate the request and run it through the route's pipeline (middlewares around the
/// provider's client), under the total timeout.
/// </summary>
public sealed class ChatService
{
    private readonly ConcurrentDictionary<RouteKey, IChatClient> _clients = new();
    private readonly Dictionary<string, IChatProvider> _providers;
    private readonly IChatClientMiddleware[] _middlewares;
    private readonly TimeProvider _timeProvider;
    private readonly TimeSpan _totalTimeout;

    /// <summary>Creates the service; normally resolved from DI after <c>AddGateway()</c>.</summary>
    public ChatService(
        ModelRouter router,
        IEnumerable<IChatProvider> providers,
        IEnumerable<IChatClientMiddleware> middlewares,
        IOptions<GatewayOptions> options,
        TimeProvider timeProvider)
    {
        Router = router;
        _providers = new Dictionary<string, IChatProvider>(StringComparer.OrdinalIgnoreCase);
        foreach (var provider in providers)
        {
            _providers.TryAdd(provider.Name, provider);
        }

        _middlewares = middlewares.ToArray();
        _timeProvider = timeProvider;
        _totalTimeout = TimeSpan.FromSeconds(options.Value.TotalTimeoutSeconds);
    }

    /// <summary>Resolves routes and enforces the allowlist.</summary>
    public ModelRouter Router { get; }

    /// <summary>Runs a chat turn to completion.</summary>
    /// <exception cref="GatewayException">The request is invalid, or the upstream failed or timed out.</exception>
    public async Task<ChatResponse> CompleteAsync(
        ModelRoute route, IReadOnlyList<ChatMessage> messages, ChatOptions? options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(route);
        ChatRequestValidator.Validate(messages, options);
        using var timeout = new CancellationTokenSource(_totalTimeout, _timeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        try
        {
            return await GetClient(route).GetResponseAsync(messages, options, linked.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException ex) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw TotalTimeout(route, ex);
        }
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
        return StreamCoreAsync(route, messages, options, cancellationToken);
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

    private async IAsyncEnumerable<ChatResponseUpdate> StreamCoreAsync(
        ModelRoute route,
        IReadOnlyList<ChatMessage> messages,
        ChatOptions? options,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using var timeout = new CancellationTokenSource(_totalTimeout, _timeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        var updates = GetClient(route).GetStreamingResponseAsync(messages, options, linked.Token).GetAsyncEnumerator(linked.Token);
        try
        {
            while (true)
            {
                try
                {
                    if (!await updates.MoveNextAsync().ConfigureAwait(false))
                    {
                        yield break;
                    }
                }
                catch (OperationCanceledException ex) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
                {
                    throw TotalTimeout(route, ex);
                }

                yield return updates.Current;
            }
        }
        finally
        {
            await updates.DisposeAsync().ConfigureAwait(false);
        }
    }

    private GatewayException TotalTimeout(ModelRoute route, Exception inner) => new(
        GatewayErrorKind.UpstreamTimeout,
        GatewayErrorCodes.UpstreamTimeout,
        $"The upstream for route '{route.Key}' did not finish within TOTAL_TIMEOUT_SECONDS ({_totalTimeout.TotalSeconds:0} s).",
        new Dictionary<string, object?> { ["modelKey"] = route.Key.Value, ["timeout"] = "total" },
        inner);
}
