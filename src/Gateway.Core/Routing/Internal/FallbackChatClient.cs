using System.Runtime.CompilerServices;
using Gateway.Core.Errors;
using Gateway.Core.Metrics;
using Gateway.Core.Resilience;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;

namespace Gateway.Core.Routing.Internal;

/// <summary>
/// A route with fallbacks: a turn goes to the route's own pipeline, and when that fails before the
/// first byte reached the client (<see cref="FailoverPolicy"/>: every deployment was unreachable, timed
/// out, busy or broken), to the next fallback's pipeline that can serve the request, and so on: a fallback whose
/// model cannot do what the request asks (<paramref name="canServe"/>: call its tools, read its images) is skipped,
/// and when none is left the route's own failure is the answer (ADR 0017). Never after the first byte
/// (ADR 0006). The answer is marked with the route that gave it (<see cref="AnsweringRoute"/>).
/// </summary>
internal sealed partial class FallbackChatClient(
    IReadOnlyList<(RouteKey Key, IChatClient Client)> routes,
    Func<RouteKey, IEnumerable<ChatMessage>, ChatOptions?, bool> canServe,
    GatewayMetrics metrics,
    ILogger logger) : IChatClient
{
    public async Task<ChatResponse> GetResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        for (var i = 0; ;)
        {
            var (key, client) = routes[i];
            try
            {
                var response = await client.GetResponseAsync(messages, options, cancellationToken).ConfigureAwait(false);
                AnsweringRoute.Mark(response, key);
                return response;
            }
            catch (GatewayException ex) when (FailoverPolicy.ShouldFailOver(ex) && NextServing(i, messages, options) is int next)
            {
                FallingBack(key, routes[next].Key, ex);
                i = next;
            }
        }
    }

    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        FirstUpdate opened = default;
        var answered = default(RouteKey);
        for (var i = 0; opened.Updates is null;)
        {
            var (key, client) = routes[i];
            try
            {
                opened = await FirstUpdate.OpenAsync(client, messages, options, cancellationToken).ConfigureAwait(false);
                answered = key;
            }
            catch (GatewayException ex) when (FailoverPolicy.ShouldFailOver(ex) && NextServing(i, messages, options) is int next)
            {
                FallingBack(key, routes[next].Key, ex);
                i = next;
            }
        }

        try
        {
            var more = opened.HasFirst;
            if (more)
            {
                AnsweringRoute.Mark(opened.Updates.Current, answered);
            }

            while (more)
            {
                yield return opened.Updates.Current;
                more = await opened.Updates.MoveNextAsync().ConfigureAwait(false);
            }
        }
        finally
        {
            await opened.Updates.DisposeAsync().ConfigureAwait(false);
        }
    }

    public object? GetService(Type serviceType, object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        return serviceKey is null && serviceType.IsInstanceOfType(this) ? this : routes[0].Client.GetService(serviceType, serviceKey);
    }

    /// <summary>The route pipelines belong to the service that built them; they serve other turns too.</summary>
    public void Dispose()
    {
    }

    /// <summary>The next route after <paramref name="current"/> that can serve the request; <see langword="null"/> when none is left.</summary>
    private int? NextServing(int current, IEnumerable<ChatMessage> messages, ChatOptions? options)
    {
        for (var i = current + 1; i < routes.Count; i++)
        {
            if (canServe(routes[i].Key, messages, options))
            {
                return i;
            }

            LogFallbackSkipped(logger, routes[0].Key.Value, routes[i].Key.Value);
        }

        return null;
    }

    private void FallingBack(RouteKey from, RouteKey to, GatewayException ex)
    {
        metrics.RouteFallbacks.Add(1, new KeyValuePair<string, object?>("from", from.Value), new KeyValuePair<string, object?>("to", to.Value));
        LogFallingBack(logger, from.Value, ex.ErrorCode, ex.Message, to.Value);
    }

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "Route '{ModelKey}' failed before answering ({ErrorCode}: {Detail}); the turn goes to its fallback '{Fallback}'.")]
    private static partial void LogFallingBack(ILogger logger, string modelKey, string errorCode, string detail, string fallback);

    [LoggerMessage(Level = LogLevel.Information,
        Message = "Fallback '{Fallback}' of route '{ModelKey}' is skipped for this turn: its model cannot call the request's tools or read its images.")]
    private static partial void LogFallbackSkipped(ILogger logger, string modelKey, string fallback);
}
