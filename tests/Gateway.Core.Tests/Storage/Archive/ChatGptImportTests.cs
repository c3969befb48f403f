using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Gateway.Core.Storage.Conversations;
using static Gateway.Core.Tests.Storage.Archive.ArchiveTestData;

namespace Gateway.Core.Tests.Storage.Archive;

public sealed class ChatGptImportTests
{
    private const string FixturePath = "Storage/Archive/Fixtures/chatgpt-conversations.json";

    private static string FixturePathOnDisk => Path.Combine(AppContext.BaseDirectory, FixturePath);

    [Fact]
    public async Task ReadAsync_ChatGptExport_MapsBranchesSkipsHiddenAndEmptyNodes()
    {
        var conversations = await ReadFixtureAsync();

        Assert.Equal(2, conversations.Count);
        var sauce = conversations[0];
        Assert.Equal("Simple tomato sauce", sauce.Conversation.Title);
        Assert.Equal(Seconds(1700000000.123456), sauce.Conversation.CreatedAt);
        Assert.Equal(Seconds(1700000070.5), sauce.Conversation.UpdatedAt);
        Assert.False(sauce.Conversation.Archived);
        Assert.Null(sauce.Conversation.SpaceId);
        Assert.Equal(5, sauce.Conversation.MessageCount);
        Assert.Equal(
            """{"source":"chatgpt","sourceId":"6754a1f2-8c3e-8001-b2a4-5f6e7d8c9b01"}""",
            sauce.Conversation.Metadata.GetRawText());

        var m = sauce.Messages;
        Assert.Equal(["user", "assistant", "assistant", "user", "assistant"], m.Select(x => x.Role));
        Assert.Equal("How do I make a simple tomato sauce?", m[0].Content);
        Assert.StartsWith("Simmer crushed tomatoes", m[1].Content, StringComparison.Ordinal);
        Assert.StartsWith("Sauté garlic", m[2].Content, StringComparison.Ordinal);
        Assert.Equal("Which herbs are these?", m[3].Content);
        Assert.Equal("The broad leaves are basil,\nthe small grey-green ones are oregano.", m[4].Content);

        // The null root and the hidden system prompt are gone; the first prompt becomes a root, and the
        // regenerated reply is a sibling of the first under the same prompt.
        Assert.Null(m[0].ParentId);
        Assert.Equal(m[0].Id, m[1].ParentId);
        Assert.Equal(m[0].Id, m[2].ParentId);
        Assert.Equal(m[2].Id, m[3].ParentId);
        Assert.Equal(m[3].Id, m[4].ParentId);
        Assert.Equal(m[4].Id, sauce.Conversation.ActiveMessageId);

        Assert.Equal(["gpt-4o", "gpt-4o-mini", "gpt-4o"], m.Where(x => x.Role == "assistant").Select(x => x.ModelKey));
        Assert.All(m.Where(x => x.Role == "user"), x => Assert.Null(x.ModelKey));
        Assert.All(m, x => Assert.Equal(sauce.Conversation.Id, x.ConversationId));
        Assert.All(m, x => Assert.Equal(MessageStatus.Complete, x.Status));
        Assert.Equal(Seconds(1700000000.5), m[0].CreatedAt);
        Assert.Equal(Seconds(1700000030), m[2].CreatedAt);
    }

    [Fact]
    public async Task ReadAsync_ChatGptExport_CodeToolOutputStatusesAndArchivedFlag()
    {
        var conversations = await ReadFixtureAsync();

        var powers = conversations[1];
        Assert.True(powers.Conversation.Archived);
        Assert.Equal(
            [("user", "What is 2**10? Run it."), ("assistant", "print(2**10)"), ("tool", "1024"), ("assistant", "2**10 is 1024.")],
            powers.Messages.Select(x => (x.Role, x.Content)));
        Assert.Equal(MessageStatus.Incomplete, powers.Messages[3].Status);

        // current_node is the empty in-progress reply, which is skipped: its nearest kept ancestor is active.
        Assert.Equal(powers.Messages[3].Id, powers.Conversation.ActiveMessageId);

        // No update_time in the file: the newest kept message's time.
        Assert.Equal(Seconds(1700100004), powers.Conversation.UpdatedAt);
    }

    [Fact]
    public async Task ReadAsync_ChatGptExport_NewIdsAreSortableAndParentsSortFirst()
    {
        var conversations = await ReadFixtureAsync();

        foreach (var conversation in conversations)
        {
            Assert.True(SortableId.IsWellFormed(conversation.Conversation.Id));
            var seen = new HashSet<string>();
            foreach (var message in conversation.Messages)
            {
                Assert.True(SortableId.IsWellFormed(message.Id));
                if (message.ParentId is not null)
                {
                    Assert.Contains(message.ParentId, seen);
                    Assert.True(string.CompareOrdinal(message.ParentId, message.Id) < 0, "a parent's id must sort before its child's");
                }

                Assert.True(IdMilliseconds(message.Id) >= message.CreatedAt.ToUnixTimeMilliseconds());
                seen.Add(message.Id);
            }
        }
    }

    [Fact]
    public async Task ReadAsync_SameChatGptFileTwice_SameContentHashNewIds()
    {
        var first = await ReadFixtureAsync();
        var second = await ReadFixtureAsync();

        Assert.Equal(first.Select(c => c.ContentHash), second.Select(c => c.ContentHash));
        Assert.NotEqual(first[0].Conversation.Id, second[0].Conversation.Id);
        Assert.NotEqual(first[0].ContentHash, first[1].ContentHash);
    }

    [Fact]
    public async Task ReadAsync_ChatGptExport_ContentHashIsTheDocumentedCanonicalForm()
    {
        var conversations = await ReadFixtureAsync();

        foreach (var conversation in conversations)
        {
            var sourceId = conversation.Conversation.Metadata.GetProperty("sourceId").GetString();
            var fields = new List<string?> { "chatgpt", sourceId, conversation.Conversation.Title };
            foreach (var message in conversation.Messages)
            {
                fields.Add(message.Role);
                fields.Add(message.Content);
            }

            Assert.Equal(CanonicalHash(fields), conversation.ContentHash);
        }

        // Pinned: a change here re-imports every ChatGPT conversation a user imported before.
        Assert.Equal("2f8d3456e3b2d917489af384f9b12725b927619c95358e35a095ea1b53851f8d", conversations[0].ContentHash);
    }

    [Fact]
    public async Task ReadAsync_ChatGptExportOneBytePerRead_SameResult()
    {
        var bytes = await File.ReadAllBytesAsync(FixturePathOnDisk);

        var trickled = await ReadAllAsync(new TrickleStream(bytes));
        var whole = await ReadFixtureAsync();

        Assert.Equal(whole.Select(c => c.ContentHash), trickled.Select(c => c.ContentHash));
        Assert.Equal(whole.SelectMany(c => c.Messages).Select(x => x.Content), trickled.SelectMany(c => c.Messages).Select(x => x.Content));
    }

    [Fact]
    public async Task ReadAsync_MinimalChatGptConversation_ToleratesMissingOptionalFields()
    {
        var json = """[{"mapping":{"a":{"message":{"author":{"role":"user"},"content":{"parts":["hi"]}}}}}]""";

        var conversation = Assert.Single(await ReadAllAsync(Utf8(json)));

        Assert.Null(conversation.Conversation.Title);
        Assert.Equal(Now, conversation.Conversation.CreatedAt);
        Assert.Equal("""{"source":"chatgpt"}""", conversation.Conversation.Metadata.GetRawText());
        var message = Assert.Single(conversation.Messages);
        Assert.Equal(("user", "hi", Now), (message.Role, message.Content, message.CreatedAt));
        Assert.Equal(message.Id, conversation.Conversation.ActiveMessageId);
        Assert.NotNull(conversation.ContentHash);
    }

    [Fact]
    public async Task ReadAsync_EmptyChatGptArray_YieldsNothing() =>
        Assert.Empty(await ReadAllAsync(Utf8(" [ ] ")));

    [Fact]
    public async Task ReadAsync_ChatGptRoleNotAString_NamesTheNodePath()
    {
        var json = MutateFixture(root => root[1]!["mapping"]!["b7e1d2c3-0000-4000-8000-000000000002"]!["message"]!["author"]!["role"] = 5);

        var (yielded, error) = await ReadUntilErrorAsync(json);

        Assert.Single(yielded);
        Assert.Equal("$[1].mapping['b7e1d2c3-0000-4000-8000-000000000002'].message.author.role", PathOf(error));
    }

    [Fact]
    public async Task ReadAsync_ChatGptUnknownRole_NamesTheNodePath()
    {
        var json = MutateFixture(root => root[0]!["mapping"]!["aaa21b7c-5d3e-4f10-9a2b-3c4d5e6f7a01"]!["message"]!["author"]!["role"] = "critic");

        var (yielded, error) = await ReadUntilErrorAsync(json);

        Assert.Empty(yielded);
        Assert.Equal("$[0].mapping['aaa21b7c-5d3e-4f10-9a2b-3c4d5e6f7a01'].message.author.role", PathOf(error));
    }

    [Theory]
    [InlineData("create_time", "yesterday", ".message.create_time")]
    [InlineData("content", "text", ".message.content")]
    [InlineData("author", null, ".message.author")]
    public async Task ReadAsync_ChatGptMessageFieldIllTyped_NamesItsPath(string field, string? value, string suffix)
    {
        var json = MutateFixture(root => root[1]!["mapping"]!["b7e1d2c3-0000-4000-8000-000000000003"]!["message"]![field] = value);

        var (_, error) = await ReadUntilErrorAsync(json);

        Assert.Equal("$[1].mapping['b7e1d2c3-0000-4000-8000-000000000003']" + suffix, PathOf(error));
    }

    [Fact]
    public async Task ReadAsync_ChatGptPartsNotAnArray_NamesParts()
    {
        var json = MutateFixture(root => root[0]!["mapping"]!["aaa21b7c-5d3e-4f10-9a2b-3c4d5e6f7a01"]!["message"]!["content"]!["parts"] = "hello");

        var (_, error) = await ReadUntilErrorAsync(json);

        Assert.Equal("$[0].mapping['aaa21b7c-5d3e-4f10-9a2b-3c4d5e6f7a01'].message.content.parts", PathOf(error));
    }

    [Fact]
    public async Task ReadAsync_ChatGptParentNotInMapping_NamesParent()
    {
        var json = MutateFixture(root => root[1]!["mapping"]!["b7e1d2c3-0000-4000-8000-000000000004"]!["parent"] = "missing-node");

        var (_, error) = await ReadUntilErrorAsync(json);

        Assert.Equal("$[1].mapping['b7e1d2c3-0000-4000-8000-000000000004'].parent", PathOf(error));
        Assert.Contains("'missing-node'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadAsync_ChatGptParentsLoop_Refused()
    {
        var json = MutateFixture(root => root[1]!["mapping"]!["b7e1d2c3-0000-4000-8000-000000000000"]!["parent"] = "b7e1d2c3-0000-4000-8000-000000000003");

        var (_, error) = await ReadUntilErrorAsync(json);

        Assert.Contains("loops", error.Message, StringComparison.Ordinal);
        Assert.StartsWith("$[1].mapping['b7e1d2c3-0000-4000-8000-00000000000", PathOf(error), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadAsync_ChatGptMappingMissing_NamesMapping()
    {
        var json = MutateFixture(root => root[1]!.AsObject().Remove("mapping"));

        var (yielded, error) = await ReadUntilErrorAsync(json);

        Assert.Single(yielded);
        Assert.Equal("$[1].mapping", PathOf(error));
    }

    [Fact]
    public async Task ReadAsync_ChatGptCurrentNodeUnknown_NamesCurrentNode()
    {
        var json = MutateFixture(root => root[0]!["current_node"] = "gone");

        var (_, error) = await ReadUntilErrorAsync(json);

        Assert.Equal("$[0].current_node", PathOf(error));
    }

    [Fact]
    public async Task ReadAsync_ChatGptElementNotAnObject_NamesTheElement()
    {
        var (_, error) = await ReadUntilErrorAsync("""[{"mapping":{}}, "oops"]""");

        Assert.Equal("$[1]", PathOf(error));
    }

    [Fact]
    public async Task ReadAsync_ChatGptTruncated_NamesTheInnermostMember()
    {
        var text = await File.ReadAllTextAsync(FixturePathOnDisk);
        var cut = text[..(text.IndexOf("Which herbs", StringComparison.Ordinal) + 5)];

        var (yielded, error) = await ReadUntilErrorAsync(cut);

        Assert.Empty(yielded);
        Assert.Equal("$[0].mapping['aaa2f00d-0000-4000-8000-00000000c0de'].message.content.parts[1]", PathOf(error));
        Assert.Contains("truncated", error.Message, StringComparison.Ordinal);
    }

    private static async Task<List<ArchivedConversation>> ReadFixtureAsync()
    {
        await using var file = File.OpenRead(FixturePathOnDisk);
        return await ReadAllAsync(file);
    }

    private static string MutateFixture(Action<JsonArray> change)
    {
        var root = JsonNode.Parse(File.ReadAllText(FixturePathOnDisk))!.AsArray();
        change(root);
        return root.ToJsonString();
    }

    private static DateTimeOffset Seconds(double seconds) =>
        DateTimeOffset.UnixEpoch.AddTicks((long)Math.Round(seconds * 1_000_000) * 10);

    private static long IdMilliseconds(string id)
    {
        Span<byte> bytes = stackalloc byte[16];
        Assert.True(Guid.ParseExact(id, "D").TryWriteBytes(bytes, bigEndian: true, out _));
        return BinaryPrimitives.ReadInt64BigEndian(bytes) >>> 16;
    }

    private static string CanonicalHash(IEnumerable<string?> fields)
    {
        using var buffer = new MemoryStream();
        Span<byte> length = stackalloc byte[4];
        foreach (var field in fields)
        {
            var bytes = field is null ? null : Encoding.UTF8.GetBytes(field);
            BinaryPrimitives.WriteInt32BigEndian(length, bytes?.Length ?? -1);
            buffer.Write(length);
            buffer.Write(bytes);
        }

        return Convert.ToHexStringLower(SHA256.HashData(buffer.ToArray()));
    }
}
