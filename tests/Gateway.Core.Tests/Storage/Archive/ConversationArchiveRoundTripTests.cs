using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using Gateway.Core.Storage.Conversations;
using Gateway.Core.Storage.Conversations.Archive;
using static Gateway.Core.Tests.Storage.Archive.ArchiveTestData;

namespace Gateway.Core.Tests.Storage.Archive;

public sealed class ConversationArchiveRoundTripTests
{
    [Fact]
    public async Task WriteThenRead_ConversationsWithBranchesStatusesAndNulls_ReadBackEqual()
    {
        var input = SampleConversations();
        using var file = new MemoryStream();

        await ConversationArchiveWriter.WriteAsync(file, ToAsync(input), Time);
        file.Position = 0;
        var output = await ReadAllAsync(file);

        Assert.Equal(input.Count, output.Count);
        for (var i = 0; i < input.Count; i++)
        {
            AssertEquivalent(input[i], output[i]);
        }
    }

    [Fact]
    public async Task WriteAsync_Document_HasFormatHeaderExportTimeAndExplicitNulls()
    {
        using var file = new MemoryStream();

        await ConversationArchiveWriter.WriteAsync(file, ToAsync(SampleConversations()), Time);

        using var document = JsonDocument.Parse(file.ToArray());
        var root = document.RootElement;
        Assert.Equal("gateway.conversations", root.GetProperty("format").GetString());
        Assert.Equal(4, root.GetProperty("formatVersion").GetInt32());
        Assert.Equal("2025-03-01T12:00:00Z", root.GetProperty("exportedAt").GetString());
        var second = root.GetProperty("conversations")[1];
        Assert.Equal(JsonValueKind.Null, second.GetProperty("title").ValueKind);
        Assert.Equal(JsonValueKind.Null, second.GetProperty("activeMessageId").ValueKind);
        Assert.Equal(JsonValueKind.Object, second.GetProperty("metadata").ValueKind);
        var message = second.GetProperty("messages")[0];
        Assert.Equal(JsonValueKind.Null, message.GetProperty("modelKey").ValueKind);
        Assert.Equal(JsonValueKind.Null, message.GetProperty("inputTokens").ValueKind);
        Assert.Equal("error", message.GetProperty("status").GetString());
        Assert.Equal("2024-12-31T22:00:00Z", message.GetProperty("createdAt").GetString());
        Assert.Equal(JsonValueKind.Null, message.GetProperty("toolCalls").ValueKind);
        Assert.Equal(JsonValueKind.Null, message.GetProperty("toolCallId").ValueKind);
        Assert.Equal(JsonValueKind.Null, message.GetProperty("toolName").ValueKind);
        Assert.Equal(JsonValueKind.Null, message.GetProperty("citations").ValueKind);
        var calls = root.GetProperty("conversations")[3].GetProperty("messages")[1].GetProperty("toolCalls");
        Assert.Equal("""[{"id":"call_1","name":"get_weather","arguments":{"city": "Paris"}}]""", calls.GetRawText());
    }

    [Fact]
    public async Task WriteAsync_NonAsciiText_WrittenUnescaped()
    {
        using var file = new MemoryStream();

        await ConversationArchiveWriter.WriteAsync(file, ToAsync(SampleConversations()), Time);

        Assert.Contains("Grüße, 世界 <b>", Encoding.UTF8.GetString(file.ToArray()), StringComparison.Ordinal);
    }

    [Fact]
    public async Task WriteAsync_ManyConversations_FlushesBeforeTheSequenceEnds()
    {
        using var file = new MemoryStream();
        var flushedWhileProducing = 0L;

        await ConversationArchiveWriter.WriteAsync(file, Produce(), Time);

        Assert.True(flushedWhileProducing > 0, "nothing reached the stream before the last conversation was produced");
        file.Position = 0;
        Assert.Equal(200, (await ReadAllAsync(file)).Count);

        async IAsyncEnumerable<ArchivedConversation> Produce()
        {
            for (var i = 0; i < 200; i++)
            {
                await Task.Yield();
                flushedWhileProducing = file.Length;
                var id = Id(i * 100);
                var message = new ConversationMessage(Id(i * 100 + 1), id, null, "user", new string('x', 2000), null, null, null, MessageStatus.Complete, Now);
                yield return new ArchivedConversation(
                    new Conversation(id, "t", null, default, Now, Now, false, 1, message.Id), [message]);
            }
        }
    }

    [Fact]
    public async Task WriteAsync_MetadataNotAnObject_Throws()
    {
        using var metadata = JsonDocument.Parse("[1]");
        var conversation = new ArchivedConversation(new Conversation(Id(1), null, null, metadata.RootElement, Now, Now, false, 0, null), []);

        await Assert.ThrowsAsync<ArgumentException>(() => ConversationArchiveWriter.WriteAsync(Stream.Null, ToAsync([conversation]), Time));
    }

    internal static List<ArchivedConversation> SampleConversations()
    {
        using var metadata = JsonDocument.Parse("""{"source":"test","tags":["a","b"],"nested":{"depth":{"n":1.5,"flag":true,"none":null}}}""");
        using var empty = JsonDocument.Parse("{}");
        var first = Id(100);
        var at = new DateTimeOffset(2025, 1, 2, 3, 4, 5, 678, TimeSpan.Zero).AddTicks(9);
        var prompt = new ConversationMessage(Id(101), first, null, "system", "Be brief.", null, null, null, MessageStatus.Complete, at);
        var question = new ConversationMessage(Id(102), first, prompt.Id, "user", "Grüße, 世界 <b> \"quoted\" \n line", null, 12, null, MessageStatus.Complete, at.AddSeconds(1));
        var answer = new ConversationMessage(Id(103), first, question.Id, "assistant", "First answer", "local-llama", 12, 40, MessageStatus.Incomplete, at.AddSeconds(2));
        var regenerated = new ConversationMessage(Id(104), first, question.Id, "assistant", "Second answer", "gpt4", 12, 41, MessageStatus.Complete, at.AddSeconds(3));
        var tool = new ConversationMessage(Id(105), first, regenerated.Id, "tool", string.Empty, null, null, 0, MessageStatus.Complete, at.AddSeconds(4));

        var tools = Id(400);
        var ask = new ConversationMessage(Id(401), tools, null, "user", "Weather in Paris?", null, null, null, MessageStatus.Complete, at);
        var call = new ConversationMessage(Id(402), tools, ask.Id, "assistant", string.Empty, "gpt4", 10, 5, MessageStatus.Complete, at.AddSeconds(1),
            ToolCalls: [new StoredToolCall("call_1", "get_weather", """{"city": "Paris"}""")]);
        var result = new ConversationMessage(Id(403), tools, call.Id, "tool", "drizzle", null, null, null, MessageStatus.Complete, at.AddSeconds(2),
            ToolCallId: "call_1", ToolName: "get_weather");

        var second = Id(200);
        var failed = new ConversationMessage(Id(201), second, null, "user", "?", null, null, null, MessageStatus.Error, new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.FromHours(2)));

        return
        [
            new ArchivedConversation(
                new Conversation(first, "Branches", "space-1", metadata.RootElement.Clone(), at, at.AddMinutes(5), true, 5, regenerated.Id),
                [prompt, question, answer, regenerated, tool],
                "4f2c0c1b9d0e4a7f8e6d5c4b3a291807f6e5d4c3b2a190817263544536271809"),
            new ArchivedConversation(
                new Conversation(second, null, null, empty.RootElement.Clone(), at, at, false, 1, null),
                [failed]),
            new ArchivedConversation(
                new Conversation(Id(300), "Empty", null, empty.RootElement.Clone(), at, at, false, 0, null),
                []),
            new ArchivedConversation(
                new Conversation(tools, "Tools", null, empty.RootElement.Clone(), at, at.AddSeconds(2), false, 3, result.Id),
                [ask, call, result]),
        ];
    }

    internal static void AssertEquivalent(ArchivedConversation expected, ArchivedConversation actual)
    {
        Assert.Equal(expected.Conversation with { Metadata = default }, actual.Conversation with { Metadata = default });
        Assert.True(
            JsonElement.DeepEquals(expected.Conversation.Metadata, actual.Conversation.Metadata),
            $"metadata differs: {expected.Conversation.Metadata.GetRawText()} vs {actual.Conversation.Metadata.GetRawText()}");
        Assert.Equal(expected.Messages, actual.Messages);
        Assert.Equal(expected.ContentHash, actual.ContentHash);
    }

    internal static async IAsyncEnumerable<ArchivedConversation> ToAsync(
        IEnumerable<ArchivedConversation> conversations, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        foreach (var conversation in conversations)
        {
            await Task.Yield();
            cancellationToken.ThrowIfCancellationRequested();
            yield return conversation;
        }
    }
}
