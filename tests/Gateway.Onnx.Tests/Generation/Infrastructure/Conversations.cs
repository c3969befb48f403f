using Microsoft.Extensions.AI;

namespace Gateway.Onnx.Tests.Generation.Infrastructure;

/// <summary>Conversations the tests send.</summary>
public static class Conversations
{
    public static IReadOnlyList<ChatMessage> Hello { get; } = [new(ChatRole.User, "hello world")];

    public static IReadOnlyList<ChatMessage> WithSystem { get; } =
    [
        new(ChatRole.System, "answer in one word"),
        new(ChatRole.User, "is the earth round"),
    ];

    public static ChatOptions Greedy(int maxTokens) => new() { MaxOutputTokens = maxTokens };

    public static ChatOptions Sampled(long seed, int maxTokens) => new() { MaxOutputTokens = maxTokens, Temperature = 1f, Seed = seed };
}
