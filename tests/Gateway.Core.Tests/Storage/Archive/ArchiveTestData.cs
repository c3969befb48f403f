using System.Globalization;
using System.Text;
using Gateway.Core.Errors;
using Gateway.Core.Storage.Conversations;
using Gateway.Core.Storage.Conversations.Archive;

namespace Gateway.Core.Tests.Storage.Archive;

/// <summary>Hand-written export documents and the plumbing to read them.</summary>
internal static class ArchiveTestData
{
    public static readonly DateTimeOffset Now = new(2025, 3, 1, 12, 0, 0, TimeSpan.Zero);

    public static TimeProvider Time { get; } = new FixedTime(Now);

    public static string Id(int n) => string.Create(CultureInfo.InvariantCulture, $"0190a4b2-7c3d-7e8f-9a0b-{n:x12}");

    public static string Message(int id, int? parent = null, string role = "user", string content = "hello", string status = "complete") =>
        $$"""{"id":"{{Id(id)}}","parentId":{{(parent is { } p ? $"\"{Id(p)}\"" : "null")}},"role":"{{role}}","content":"{{content}}","modelKey":null,"inputTokens":null,"outputTokens":null,"status":"{{status}}","createdAt":"2025-01-01T00:00:0{{id % 10}}Z"}""";

    public static string Conversation(int id, params string[] messages) =>
        $$"""{"id":"{{Id(id)}}","title":"Conversation {{id}}","spaceId":null,"metadata":{},"createdAt":"2025-01-01T00:00:00Z","updatedAt":"2025-01-01T00:00:09Z","archived":false,"activeMessageId":null,"messages":[{{string.Join(",", messages)}}]}""";

    public static string Export(params string[] conversations) =>
        $$"""{"format":"gateway.conversations","formatVersion":1,"exportedAt":"2025-03-01T12:00:00Z","conversations":[{{string.Join(",", conversations)}}]}""";

    /// <summary>A valid conversation with two messages, the second answering the first.</summary>
    public static string ValidConversation(int id) => Conversation(id, Message(id * 10 + 1), Message(id * 10 + 2, id * 10 + 1, "assistant", "hi"));

    public static MemoryStream Utf8(string json) => new(Encoding.UTF8.GetBytes(json));

    public static async Task<List<ArchivedConversation>> ReadAllAsync(Stream source)
    {
        var result = new List<ArchivedConversation>();
        await foreach (var conversation in ConversationArchiveReader.ReadAsync(source, Time))
        {
            result.Add(conversation);
        }

        return result;
    }

    /// <summary>Reads until the reader throws; returns what was yielded before and the error.</summary>
    public static async Task<(List<ArchivedConversation> Yielded, GatewayException Error)> ReadUntilErrorAsync(string json) =>
        await ReadUntilErrorAsync(Utf8(json));

    public static async Task<(List<ArchivedConversation> Yielded, GatewayException Error)> ReadUntilErrorAsync(Stream source)
    {
        var yielded = new List<ArchivedConversation>();
        var error = await Assert.ThrowsAsync<GatewayException>(async () =>
        {
            await foreach (var conversation in ConversationArchiveReader.ReadAsync(source, Time))
            {
                yielded.Add(conversation);
            }
        });
        Assert.Equal(GatewayErrorCodes.InvalidImport, error.ErrorCode);
        Assert.Equal(GatewayErrorKind.InvalidRequest, error.Kind);
        return (yielded, error);
    }

    public static string PathOf(GatewayException error) => Assert.IsType<string>(error.Extensions["path"]);

    private sealed class FixedTime(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
