using System.Runtime.CompilerServices;
using Gateway.Core.Errors;
using Gateway.Core.Routing;
using Microsoft.Extensions.AI;

namespace Gateway.Core.Resilience;

/// <summary>
/// Ends a whole upstream call, streaming included, after <c>TOTAL_TIMEOUT_SECONDS</c> with an
/// <see cref="GatewayErrorCodes.UpstreamTimeout"/> error naming the total timeout.
/// </summary>
internal sealed class TotalTimeoutChatClient(IChatClient inner, ModelRoute route, TimeSpan timeout, TimeProvider time)
    : DelegatingChatClient(inner)
{
    public override async Task<ChatResponse> GetResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        using var deadline = new CancellationTokenSource(timeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
        try
        {
            return await base.GetResponseAsync(messages, options, linked.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException ex) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw Expired(ex);
        }
    }

    public override async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages,
        ChatOptions? options = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        using var deadline = new CancellationTokenSource(timeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
        var updates = base.GetStreamingResponseAsync(messages, options, linked.Token).GetAsyncEnumerator(linked.Token);
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
                catch (OperationCanceledException ex) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
                {
                    throw Expired(ex);
                }

                yield return updates.Current;
            }
        }
        finally
        {
            await updates.DisposeAsync().ConfigureAwait(false);
        }
    }

    private GatewayException Expired(Exception inner) => UpstreamTimeouts.Exceeded(route, UpstreamTimeoutKind.Total, timeout, inner);
}
