using Microsoft.Extensions.AI;

namespace Gateway.Core.Routing.Internal;

/// <summary>
/// A stream opened as far as its first update. Everything that can fail before the first byte reaches
/// the client (connecting, the upstream's status, the wait for its first chunk) fails in
/// <see cref="OpenAsync"/>, where trying elsewhere is still safe (ADR 0006); what follows is relayed as is.
/// </summary>
internal readonly record struct FirstUpdate(IAsyncEnumerator<ChatResponseUpdate> Updates, bool HasFirst)
{
    public static async Task<FirstUpdate> OpenAsync(
        IChatClient client, IEnumerable<ChatMessage> messages, ChatOptions? options, CancellationToken cancellationToken)
    {
        var updates = client.GetStreamingResponseAsync(messages, options, cancellationToken).GetAsyncEnumerator(cancellationToken);
        try
        {
            return new FirstUpdate(updates, await updates.MoveNextAsync().ConfigureAwait(false));
        }
        catch
        {
            await updates.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }
}
