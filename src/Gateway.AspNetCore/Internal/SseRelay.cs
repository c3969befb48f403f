using Microsoft.Extensions.AI;

namespace Gateway.AspNetCore.Internal;

/// <summary>
/// Pumps a chat stream's text deltas into SSE events. It flushes whenever the upstream has nothing
/// more ready: a paced model's every delta leaves the moment it arrives, while a burst that is
/// already buffered goes out in one write instead of one syscall per event.
/// </summary>
internal static class SseRelay
{
    /// <param name="updates">The stream, already advanced once; <paramref name="hasCurrent"/> says whether that found an update.</param>
    /// <param name="hasCurrent">The result of the first <c>MoveNextAsync</c>.</param>
    /// <param name="sse">The event writer.</param>
    /// <param name="writeDelta">Writes one text delta as a complete event, without flushing.</param>
    /// <param name="cancellationToken">The client's request-aborted token.</param>
    /// <returns>Usage, finish reason and ids gathered from the updates.</returns>
    public static async Task<StreamSummary> PumpAsync(
        IAsyncEnumerator<ChatResponseUpdate> updates,
        bool hasCurrent,
        SseWriter sse,
        Action<SseWriter, string> writeDelta,
        CancellationToken cancellationToken)
    {
        var summary = default(StreamSummary);
        while (hasCurrent)
        {
            var update = updates.Current;
            summary.Observe(update);
            foreach (var content in update.Contents)
            {
                if (content is TextContent { Text.Length: > 0 } text)
                {
                    writeDelta(sse, text.Text);
                }
            }

            var next = updates.MoveNextAsync();
            if (!next.IsCompleted)
            {
                await sse.FlushAsync(cancellationToken).ConfigureAwait(false);
            }

            hasCurrent = await next.ConfigureAwait(false);
        }

        return summary;
    }
}
