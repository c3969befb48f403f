using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;

namespace Gateway.Benchmarks.Pipeline;

/// <summary>
/// An upstream with no I/O: it yields prepared updates synchronously, so a benchmark around it
/// measures only the middleware it is wrapped in.
/// </summary>
internal sealed class CannedStreamChatClient(int chunks) : IChatClient
{
    private readonly ChatResponseUpdate[] _updates = Enumerable.Range(0, chunks)
        .Select(_ => new ChatResponseUpdate(ChatRole.Assistant, "token "))
        .Append(new ChatResponseUpdate
        {
            FinishReason = ChatFinishReason.Stop,
            Contents = [new UsageContent(new UsageDetails { InputTokenCount = 10, OutputTokenCount = chunks })],
        })
        .ToArray();

    private readonly ChatClientMetadata _metadata = new("openai", new Uri("http://127.0.0.1/v1/chat/completions"), "bench-model");

    public Task<ChatResponse> GetResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
        Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, "answer")));

    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages,
        ChatOptions? options = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        foreach (var update in _updates)
        {
            yield return update;
        }

        await Task.CompletedTask.ConfigureAwait(false);
    }

    public object? GetService(Type serviceType, object? serviceKey = null) =>
        serviceKey is null && serviceType == typeof(ChatClientMetadata) ? _metadata : null;

    public void Dispose()
    {
    }
}
