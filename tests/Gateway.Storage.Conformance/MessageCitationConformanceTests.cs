using System.Text;
using Gateway.Core.Errors;
using Gateway.Core.Storage.Conversations;
using Gateway.Core.Storage.Conversations.Archive;
using Gateway.Core.Storage.Rag;

namespace Gateway.Storage.Conformance;

/// <summary>
/// What every backend does with the citations of a reply answered from documents: they are stored with the
/// assistant message, come back on every read of it, travel through export and import, and are checked.
/// </summary>
public abstract class MessageCitationConformanceTests : StoreConformanceTests
{
    /// <summary>Two sources of one reply: one with a heading path, one with a page and a name outside ASCII.</summary>
    protected static readonly MessageCitation[] TwoSources =
    [
        new(1, "chunk-a", "doc-1", "handbook.md", "collection-1", new ChunkCitation(0, 120, "Leave > Holidays")),
        new(2, "chunk-b", "doc-2", "Richtlinie für Urlaub.pdf", "collection-2", new ChunkCitation(4_000, 4_512, Page: 7)),
    ];

    private const string ImportedConversationId = "0190a4b2-7c3d-7e8f-9a0b-000000000130";

    private IConversationStore Conversations => Store.Conversations;

    [Fact]
    public async Task Append_ReplyWithCitations_IsReadBackEqualOnTheBranchAndInPages()
    {
        var (conversationId, written) = await AppendAnsweredQuestionAsync(Conversations);

        var branch = await Conversations.GetBranchAsync(conversationId);
        var page = await Conversations.ListMessagesAsync(conversationId, new MessageQuery(Branch: MessageQuery.AllBranches));

        Assert.Equal(written, branch);
        Assert.Equal(written, page.Items);
        Assert.Equal(TwoSources, branch[1].Citations);
        Assert.Null(branch[0].Citations);
    }

    [Fact]
    public async Task Append_CitationOfAJsonRecord_KeepsItsJsonPath()
    {
        var conversation = await Conversations.CreateConversationAsync(new NewConversation());
        MessageCitation[] cited = [new(1, "chunk-j", "doc-3", "harbours.json", "collection-1", new ChunkCitation(18, 34, JsonPath: "$.harbours[1]"))];

        await Conversations.AppendMessageAsync(conversation.Id, Cites(cited));

        Assert.Equal(cited, Assert.Single(await Conversations.GetBranchAsync(conversation.Id)).Citations);
    }

    [Fact]
    public async Task Append_EmptyCitationList_IsStoredAsNone()
    {
        var conversation = await Conversations.CreateConversationAsync(new NewConversation());

        var appended = await Conversations.AppendMessageAsync(conversation.Id, new NewMessage("assistant", "Nothing in your documents.", Citations: []));

        Assert.Null(appended.Citations);
        Assert.Null(Assert.Single(await Conversations.GetBranchAsync(conversation.Id)).Citations);
    }

    [Theory]
    [InlineData("onUser", "message.citations")]
    [InlineData("indexZero", "message.citations[0].index")]
    [InlineData("indexTwice", "message.citations[1].index")]
    [InlineData("noChunk", "message.citations[0].chunkId")]
    [InlineData("noDocumentName", "message.citations[0].documentName")]
    [InlineData("endBeforeStart", "message.citations[0].citation")]
    [InlineData("pageZero", "message.citations[0].citation.page")]
    public async Task Append_InvalidCitations_ThrowsInvalidRequestNamingTheFieldAndStoresNothing(string problem, string field)
    {
        var conversation = await Conversations.CreateConversationAsync(new NewConversation());
        var source = TwoSources[0];
        var message = problem switch
        {
            "onUser" => new NewMessage("user", "hi", Citations: TwoSources),
            "indexZero" => Cites(source with { Index = 0 }),
            "indexTwice" => Cites(source, TwoSources[1] with { Index = 1 }),
            "noChunk" => Cites(source with { ChunkId = string.Empty }),
            "noDocumentName" => Cites(source with { DocumentName = string.Empty }),
            "endBeforeStart" => Cites(source with { Citation = new ChunkCitation(10, 9) }),
            _ => Cites(source with { Citation = new ChunkCitation(0, 1, Page: 0) }),
        };

        var error = await AssertErrorAsync(GatewayErrorCodes.InvalidRequest, () => Conversations.AppendMessageAsync(conversation.Id, message));

        Assert.Equal(field, error.Extensions["field"]);
        Assert.Empty(await Conversations.GetBranchAsync(conversation.Id));
    }

    [Fact]
    public async Task ExportThenImport_CitationsThroughTheFile_ImportIntoAFreshStoreEqual()
    {
        var (conversationId, written) = await AppendAnsweredQuestionAsync(Conversations);
        await AssertArchiveRoundTripAsync(conversationId, written);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public async Task Import_FileOfAnEarlierVersion_ImportsItsRepliesWithoutCitations(int version)
    {
        using var file = ArchiveFile(version, AnsweredJson(citations: null));

        var result = await Store.Archive.ImportAsync(ConversationArchiveReader.ReadAsync(file, TimeProvider.System));

        Assert.Equal(new ImportResult(1, 2, 0), result);
        Assert.All(await Conversations.GetBranchAsync(ImportedConversationId), m => Assert.Null(m.Citations));
    }

    [Theory]
    [InlineData("""{"index":1}""", "$.conversations[0].messages[1].citations")]
    [InlineData("""[{"index":1,"chunkId":"k","documentId":"d","documentName":"n","collectionId":"c"}]""", "$.conversations[0].messages[1].citations[0].citation")]
    [InlineData("""[{"index":"1","chunkId":"k","documentId":"d","documentName":"n","collectionId":"c","citation":{"start":0,"end":1}}]""", "$.conversations[0].messages[1].citations[0].index")]
    [InlineData("""[{"index":1,"chunkId":"k","documentId":"d","documentName":"n","collectionId":"c","citation":{"start":5,"end":1}}]""", "conversations[0].messages[1].citations[0].citation")]
    public async Task Import_CitationsThatDoNotFit_IsRefusedNamingThePathAndWritesNothing(string citations, string path)
    {
        using var file = ArchiveFile(3, AnsweredJson(citations));

        var error = await AssertErrorAsync(GatewayErrorCodes.InvalidImport,
            () => Store.Archive.ImportAsync(ConversationArchiveReader.ReadAsync(file, TimeProvider.System)));

        Assert.Contains(path + ":", error.Message, StringComparison.Ordinal);
        Assert.Empty((await Conversations.ListConversationsAsync(new ConversationQuery(Archived: null))).Items);
    }

    /// <summary>A question and a reply that cites <see cref="TwoSources"/>; returns the conversation and the messages as appended.</summary>
    protected static async Task<(string ConversationId, List<ConversationMessage> Messages)> AppendAnsweredQuestionAsync(IConversationStore store)
    {
        var conversation = await store.CreateConversationAsync(new NewConversation("Holidays"));
        var question = await store.AppendMessageAsync(conversation.Id, new NewMessage("user", "How many days of holiday?"));
        var answer = await store.AppendMessageAsync(conversation.Id, new NewMessage(
            "assistant", "25 days [1], and unused days carry over [2].", ModelKey: "main", InputTokens: 300, OutputTokens: 12, Citations: TwoSources));
        return (conversation.Id, [question, answer]);
    }

    private static NewMessage Cites(params MessageCitation[] citations) => new("assistant", "answer", Citations: citations);

    private static MemoryStream ArchiveFile(int version, string conversation) => new(Encoding.UTF8.GetBytes(
        $$"""{"format":"gateway.conversations","formatVersion":{{version}},"conversations":[{{conversation}}]}"""));

    /// <summary>A conversation of an export: a question and its answer, with <paramref name="citations"/> (JSON) on the answer when set.</summary>
    private static string AnsweredJson(string? citations) => $$"""
        {"id":"{{ImportedConversationId}}","title":"Imported","createdAt":"2025-01-02T03:04:05Z","updatedAt":"2025-01-02T03:04:09Z","messages":[
          {"id":"0190a4b2-7c3d-7e8f-9a0b-000000000131","parentId":null,"role":"user","content":"holidays?","status":"complete","createdAt":"2025-01-02T03:04:06Z"},
          {"id":"0190a4b2-7c3d-7e8f-9a0b-000000000132","parentId":"0190a4b2-7c3d-7e8f-9a0b-000000000131","role":"assistant","content":"25 [1]",
           "status":"complete","createdAt":"2025-01-02T03:04:07Z"{{(citations is null ? "" : $",\"citations\":{citations}")}}}]}
        """;
}
