using System.Text;
using Gateway.Core.Errors;
using Gateway.Core.Storage.Conversations;
using Gateway.Core.Storage.Conversations.Archive;

namespace Gateway.Storage.Conformance;

/// <summary>
/// What every backend does with tool calling: an assistant message's tool calls and a tool message's
/// call id are stored with the message, come back on every read of it, and leave search to the text.
/// </summary>
public abstract class ToolMessageConformanceTests : StoreConformanceTests
{
    /// <summary>Two calls in one reply; the arguments' spacing and key order are kept as given.</summary>
    protected static readonly StoredToolCall[] WeatherCalls =
    [
        new("call_paris", "get_weather", """{"city":"Paris","unit":"celsius"}"""),
        new("call_tokyo", "get_weather", """{ "unit": "celsius", "city": "東京" }"""),
    ];

    private const string FirstConversationId = "0190a4b2-7c3d-7e8f-9a0b-000000000110";
    private const string SecondConversationId = "0190a4b2-7c3d-7e8f-9a0b-000000000120";

    private IConversationStore Conversations => Store.Conversations;

    [Fact]
    public async Task Append_ToolRoundTrip_IsReadBackEqualOnTheBranchAndInPages()
    {
        var (conversationId, written) = await AppendToolRoundTripAsync(Conversations);

        var branch = await Conversations.GetBranchAsync(conversationId);
        var page = await Conversations.ListMessagesAsync(conversationId, new MessageQuery());

        Assert.Equal(written, branch);
        Assert.Equal(written, page.Items);
        var call = branch[1];
        Assert.Equal(string.Empty, call.Content);
        Assert.Equal(WeatherCalls, call.ToolCalls);
        Assert.Null(call.ToolCallId);
        Assert.Equal(("tool", "call_paris", "get_weather"), (branch[2].Role, branch[2].ToolCallId, branch[2].ToolName));
        Assert.Equal(("tool", "call_tokyo", (string?)null), (branch[3].Role, branch[3].ToolCallId, branch[3].ToolName));
        Assert.Null(branch[0].ToolCalls);
        Assert.Null(branch[4].ToolCalls);
    }

    [Fact]
    public async Task Append_ToolCallsOnAnotherBranch_AreReadThroughThatBranch()
    {
        var (conversationId, written) = await AppendToolRoundTripAsync(Conversations);
        var question = written[0];
        var plain = await Conversations.AppendMessageAsync(conversationId, new NewMessage("assistant", "I cannot look that up.", ParentId: question.Id));

        var active = await Conversations.GetBranchAsync(conversationId);
        var throughCalls = await Conversations.GetBranchAsync(conversationId, written[1].Id);
        var all = await Conversations.ListMessagesAsync(conversationId, new MessageQuery(Branch: MessageQuery.AllBranches));

        Assert.Equal([question, plain], active);
        Assert.Equal(written, throughCalls);
        Assert.Equal([.. written, plain], all.Items);
    }

    [Fact]
    public async Task Append_EmptyToolCallList_IsStoredAsNone()
    {
        var conversation = await Conversations.CreateConversationAsync(new NewConversation());

        var appended = await Conversations.AppendMessageAsync(conversation.Id, new NewMessage("assistant", "plain", ToolCalls: []));

        Assert.Null(appended.ToolCalls);
        Assert.Null(Assert.Single(await Conversations.GetBranchAsync(conversation.Id)).ToolCalls);
    }

    [Fact]
    public async Task Append_ToolMessageWithoutCallId_IsStoredAsPlainToolText()
    {
        var conversation = await Conversations.CreateConversationAsync(new NewConversation());

        var appended = await Conversations.AppendMessageAsync(conversation.Id, new NewMessage("tool", "browsing result"));

        Assert.Equal(appended, Assert.Single(await Conversations.GetBranchAsync(conversation.Id)));
        Assert.Null(appended.ToolCallId);
    }

    [Theory]
    [InlineData("toolCallsOnUser", "message.toolCalls")]
    [InlineData("argumentsNotJson", "message.toolCalls[0].arguments")]
    [InlineData("argumentsNotObject", "message.toolCalls[0].arguments")]
    [InlineData("emptyCallId", "message.toolCalls[0].id")]
    [InlineData("emptyName", "message.toolCalls[0].name")]
    [InlineData("duplicateCallId", "message.toolCalls[1].id")]
    [InlineData("callIdOnAssistant", "message.toolCallId")]
    [InlineData("emptyCallIdOnTool", "message.toolCallId")]
    [InlineData("toolNameOnUser", "message.toolName")]
    public async Task Append_InvalidToolFields_ThrowsInvalidRequestNamingTheFieldAndStoresNothing(string problem, string field)
    {
        var conversation = await Conversations.CreateConversationAsync(new NewConversation());
        var message = problem switch
        {
            "toolCallsOnUser" => new NewMessage("user", "hi", ToolCalls: WeatherCalls),
            "argumentsNotJson" => new NewMessage("assistant", string.Empty, ToolCalls: [new("call_1", "f", "{\"city\":")]),
            "argumentsNotObject" => new NewMessage("assistant", string.Empty, ToolCalls: [new("call_1", "f", "[1,2]")]),
            "emptyCallId" => new NewMessage("assistant", string.Empty, ToolCalls: [new(string.Empty, "f", "{}")]),
            "emptyName" => new NewMessage("assistant", string.Empty, ToolCalls: [new("call_1", string.Empty, "{}")]),
            "duplicateCallId" => new NewMessage("assistant", string.Empty, ToolCalls: [new("call_1", "f", "{}"), new("call_1", "g", "{}")]),
            "callIdOnAssistant" => new NewMessage("assistant", "x", ToolCallId: "call_1"),
            "emptyCallIdOnTool" => new NewMessage("tool", "x", ToolCallId: string.Empty),
            _ => new NewMessage("user", "x", ToolName: "get_weather"),
        };

        var error = await AssertErrorAsync(GatewayErrorCodes.InvalidRequest, () => Conversations.AppendMessageAsync(conversation.Id, message));

        Assert.Equal(field, error.Extensions["field"]);
        Assert.Empty(await Conversations.GetBranchAsync(conversation.Id));
        Assert.Equal(0, (await Conversations.GetConversationAsync(conversation.Id))!.MessageCount);
    }

    [Fact]
    public async Task Search_ToolResults_AreFoundByTheirTextAndToolCallsAreNot()
    {
        var (conversationId, written) = await AppendToolRoundTripAsync(Conversations);
        await Store.CatchUpSearchIndexAsync();

        var result = await Store.Search.SearchAsync(new MessageSearchQuery("drizzle"));
        var arguments = await Store.Search.SearchAsync(new MessageSearchQuery("celsius"));

        var hit = Assert.Single(result.Hits);
        Assert.Equal((conversationId, written[2].Id, "tool"), (hit.ConversationId, hit.MessageId, hit.Role));
        Assert.Empty(arguments.Hits);
    }

    [Fact]
    public async Task ExportThenImport_ToolRoundTripThroughTheFile_ImportsIntoAFreshStoreEqual()
    {
        var (conversationId, written) = await AppendToolRoundTripAsync(Conversations);
        await AssertArchiveRoundTripAsync(conversationId, written);
    }

    [Fact]
    public async Task Import_VersionOneFileWithoutToolMembers_ImportsItsToolTextAsBefore()
    {
        using var file = ArchiveFile(1, ConversationJson(SecondConversationId, """
            {"id":"0190a4b2-7c3d-7e8f-9a0b-000000000121","parentId":null,"role":"user","content":"run it","modelKey":null,
             "inputTokens":null,"outputTokens":null,"status":"complete","createdAt":"2025-01-02T03:04:06Z"},
            {"id":"0190a4b2-7c3d-7e8f-9a0b-000000000122","parentId":"0190a4b2-7c3d-7e8f-9a0b-000000000121","role":"tool","content":"exit code 0",
             "modelKey":null,"inputTokens":null,"outputTokens":null,"status":"complete","createdAt":"2025-01-02T03:04:07Z"}
            """));

        var result = await Store.Archive.ImportAsync(ConversationArchiveReader.ReadAsync(file, TimeProvider.System));

        Assert.Equal(new ImportResult(1, 2, 0), result);
        var branch = await Conversations.GetBranchAsync(SecondConversationId);
        Assert.Equal(["user", "tool"], branch.Select(m => m.Role));
        Assert.All(branch, m => Assert.True(m.ToolCalls is null && m.ToolCallId is null && m.ToolName is null));
    }

    [Theory]
    [InlineData(2, """ "{\"city\": \"Paris\"}" """)]
    [InlineData(4, """{"city": "Paris"}""")]
    public async Task Import_ToolCallArgumentsAsTextOrAsTheObject_ImportTheirText(int version, string arguments)
    {
        using var file = ArchiveFile(version, ConversationJson(SecondConversationId, $$"""
            {"id":"0190a4b2-7c3d-7e8f-9a0b-000000000121","parentId":null,"role":"user","content":"weather?","status":"complete","createdAt":"2025-01-02T03:04:06Z"},
            {"id":"0190a4b2-7c3d-7e8f-9a0b-000000000122","parentId":"0190a4b2-7c3d-7e8f-9a0b-000000000121","role":"assistant","content":"",
             "status":"complete","createdAt":"2025-01-02T03:04:07Z","toolCalls":[{"id":"call_1","name":"get_weather","arguments":{{arguments}}}]}
            """));

        await Store.Archive.ImportAsync(ConversationArchiveReader.ReadAsync(file, TimeProvider.System));

        var call = (await Conversations.GetBranchAsync(SecondConversationId))[1].ToolCalls;
        Assert.Equal([new StoredToolCall("call_1", "get_weather", """{"city": "Paris"}""")], call);
    }

    [Theory]
    [InlineData("""[{"id":"call_1","name":"get_weather","arguments":"{\"city\":\"Paris\"}"}]""", "null", "$.conversations[1].messages[2].toolCallId")]
    [InlineData("""{"id":"call_1"}""", "\"call_1\"", "$.conversations[1].messages[1].toolCalls")]
    [InlineData("""[{"id":"call_1","name":"get_weather","arguments":["Paris"]}]""", "\"call_1\"", "$.conversations[1].messages[1].toolCalls[0].arguments")]
    [InlineData("""[{"id":"call_1","name":"get_weather"}]""", "\"call_1\"", "$.conversations[1].messages[1].toolCalls[0].arguments")]
    [InlineData("""[{"id":"call_1","arguments":"{}"}]""", "\"call_1\"", "$.conversations[1].messages[1].toolCalls[0].name")]
    [InlineData("""[{"id":"call_1","name":"get_weather","arguments":"{\"city\":"}]""", "\"call_1\"", "conversations[1].messages[1].toolCalls[0].arguments")]
    [InlineData("""[{"id":"call_1","name":"get_weather","arguments":"{}"}]""", "\"\"", "conversations[1].messages[2].toolCallId")]
    public async Task Import_ToolMembersThatDoNotFit_IsRefusedNamingThePathAndWritesNothing(string toolCalls, string toolCallId, string path)
    {
        using var file = ArchiveFile(2,
            ConversationJson(FirstConversationId, """
                {"id":"0190a4b2-7c3d-7e8f-9a0b-000000000111","parentId":null,"role":"user","content":"first","status":"complete","createdAt":"2025-01-02T03:04:06Z"}
                """),
            ConversationJson(SecondConversationId, $$"""
                {"id":"0190a4b2-7c3d-7e8f-9a0b-000000000121","parentId":null,"role":"user","content":"weather?","status":"complete","createdAt":"2025-01-02T03:04:06Z"},
                {"id":"0190a4b2-7c3d-7e8f-9a0b-000000000122","parentId":"0190a4b2-7c3d-7e8f-9a0b-000000000121","role":"assistant","content":"",
                 "status":"complete","createdAt":"2025-01-02T03:04:07Z","toolCalls":{{toolCalls}}},
                {"id":"0190a4b2-7c3d-7e8f-9a0b-000000000123","parentId":"0190a4b2-7c3d-7e8f-9a0b-000000000122","role":"tool","content":"drizzle",
                 "status":"complete","createdAt":"2025-01-02T03:04:08Z","toolCallId":{{toolCallId}}}
                """));

        var error = await AssertErrorAsync(GatewayErrorCodes.InvalidImport,
            () => Store.Archive.ImportAsync(ConversationArchiveReader.ReadAsync(file, TimeProvider.System)));

        Assert.Contains(path + ":", error.Message, StringComparison.Ordinal);
        Assert.Empty((await Conversations.ListConversationsAsync(new ConversationQuery(Archived: null))).Items);
    }

    /// <summary>
    /// A question, a reply that is only two tool calls, the two results (one naming its function), and the
    /// answer; returns the conversation and the messages as appended, root first.
    /// </summary>
    protected static async Task<(string ConversationId, List<ConversationMessage> Messages)> AppendToolRoundTripAsync(IConversationStore store)
    {
        var conversation = await store.CreateConversationAsync(new NewConversation("Weather"));
        List<NewMessage> turn =
        [
            new("user", "Weather in Paris and Tokyo?"),
            new("assistant", string.Empty, ModelKey: "main", InputTokens: 20, OutputTokens: 9, ToolCalls: WeatherCalls),
            new("tool", """{"forecast":"drizzle","temperature":14}""", ToolCallId: "call_paris", ToolName: "get_weather"),
            new("tool", """{"forecast":"sunny","temperature":22}""", ToolCallId: "call_tokyo"),
            new("assistant", "Paris: 14 °C and wet; Tokyo: 22 °C and sunny.", ModelKey: "main"),
        ];
        var written = new List<ConversationMessage>();
        foreach (var message in turn)
        {
            written.Add(await store.AppendMessageAsync(conversation.Id, message));
        }

        return (conversation.Id, written);
    }

    /// <summary>A gateway export of <paramref name="conversations"/> (JSON objects) at <paramref name="version"/>.</summary>
    private static MemoryStream ArchiveFile(int version, params string[] conversations) => new(Encoding.UTF8.GetBytes(
        $$"""{"format":"gateway.conversations","formatVersion":{{version}},"conversations":[{{string.Join(",", conversations)}}]}"""));

    /// <summary>A conversation of an export holding <paramref name="messages"/> (JSON objects, comma-separated).</summary>
    private static string ConversationJson(string id, string messages) => $$"""
        {"id":"{{id}}","title":"Imported","createdAt":"2025-01-02T03:04:05Z","updatedAt":"2025-01-02T03:04:09Z","messages":[{{messages}}]}
        """;
}
