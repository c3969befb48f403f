using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;

namespace Gateway.Storage.Conformance;

/// <summary>
/// The model behind a route, as a chat client that answers each call with the next scripted reply and
/// keeps the messages it was sent. Set in place of the provider's client by a pipeline step, so the turn
/// runs through the gateway's whole pipeline without a model server.
/// </summary>
public sealed class ScriptedUpstream : IChatClient
{
    private readonly Queue<ChatResponse> _replies = new();

    /// <summary>The messages of every call, in call order.</summary>
    public List<IReadOnlyList<ChatMessage>> Received { get; } = [];

    /// <summary>Queues the reply to the next call; a streaming call gets its contents one update each.</summary>
    public ScriptedUpstream Then(params ChatMessage[] messages)
    {
        _replies.Enqueue(new ChatResponse([.. messages]) { Usage = new UsageDetails { InputTokenCount = 30, OutputTokenCount = 7 } });
        return this;
    }

    public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        Received.Add([.. messages]);
        return Task.FromResult(_replies.Dequeue());
    }

    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        Received.Add([.. messages]);
        var reply = _replies.Dequeue();
        foreach (var message in reply.Messages)
        {
            foreach (var content in message.Contents)
            {
                await Task.Yield();
                yield return new ChatResponseUpdate(message.Role, [content]);
            }
        }

        yield return new ChatResponseUpdate(ChatRole.Assistant, [new UsageContent(reply.Usage!)]);
    }

    public object? GetService(Type serviceType, object? serviceKey = null) => null;

    public void Dispose()
    {
    }
}
