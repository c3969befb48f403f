using System.Net;
using System.Text.Json;
using Gateway.AspNetCore.Tests.Infrastructure;
using Gateway.Core.Chat.Retrieval;
using Gateway.Core.Storage.Rag;
using Gateway.Core.Storage.Spaces;
using Gateway.Rag;
using Gateway.Rag.Collections;
using Gateway.Rag.Documents;
using Gateway.TestUpstream;
using Microsoft.Extensions.DependencyInjection;
using static Gateway.AspNetCore.Tests.Routing.RoutingEndpointTests;

namespace Gateway.AspNetCore.Tests.Chat;

/// <summary>
/// Chat that answers from documents, end to end: Gateway.Rag's retrieval over the real SQLite store and the
/// bundled all-MiniLM-L6-v2, the context the test upstream receives, and the citations answered, streamed and stored.
/// </summary>
public sealed class RagChatTests : GatewayFixture
{
    private const string HolidayText = "Employees get 25 days of paid holiday each year. Unused holiday days carry over until the end of March.";
    private const string ParkingText = "Staff park in the north garage. Visitor parking spaces are next to the main entrance.";

    [Fact]
    public async Task Chat_WithRag_SendsTheBestPassageBeforeTheQuestionAndCitesIt()
    {
        var (gateway, handbook, holidays, _) = await StartWithHandbookAsync();
        Upstream.Behavior = new UpstreamBehavior { Chunks = ["25 days [1]."] };

        using var response = await gateway.Client.PostAsync("api/chat", Json($$$"""
            {"messages":[{"role":"user","content":"How many days of paid holiday do I get?"}],"rag":{"collectionIds":["{{{handbook.Id}}}"],"k":1}}
            """));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        var citation = Assert.Single(body.GetProperty("citations").EnumerateArray());
        AssertCites(citation, 1, holidays, handbook);
        var sent = SentMessages(0);
        Assert.Equal(["system", "user"], sent.Select(m => m.GetProperty("role").GetString()));
        Assert.Equal(ChatContextOptions.DefaultTemplate.Replace("{passages}", $"[1] holidays.md\n{HolidayText}"), sent[0].GetProperty("content").GetString());
        Assert.Equal("How many days of paid holiday do I get?", sent[1].GetProperty("content").GetString());
    }

    [Fact]
    public async Task Stream_WithRag_SendsCitationsFirstAndStoresThemWithTheReply()
    {
        var (gateway, handbook, holidays, parking) = await StartWithHandbookAsync();
        Upstream.Behavior = new UpstreamBehavior { Chunks = ["North ", "garage [1]."] };

        using var response = await gateway.Client.PostAsync("api/chat/stream", Json($$$"""
            {"messages":[{"role":"user","content":"Where do staff park their cars?"}],"rag":{"collectionIds":["{{{handbook.Id}}}"]}}
            """));

        var events = await ReadEventsAsync(response);
        Assert.Equal(["citations", null, null, "done"], events.Select(e => e.Name));
        var citations = JsonDocument.Parse(events[0].Data).RootElement.GetProperty("citations");
        Assert.Equal(2, citations.GetArrayLength());
        AssertCites(citations[0], 1, parking, handbook);
        AssertCites(citations[1], 2, holidays, handbook);
        Assert.Contains($"[1] parking.md\n{ParkingText}\n\n[2] holidays.md\n{HolidayText}", SentMessages(0)[0].GetProperty("content").GetString());
        var conversationId = Assert.Single(response.Headers.GetValues("X-Conversation-Id"));
        var stored = JsonDocument.Parse(await gateway.Client.GetStringAsync($"api/conversations/{conversationId}/messages")).RootElement.GetProperty("items");
        Assert.Equal(["user", "assistant"], stored.EnumerateArray().Select(m => m.GetProperty("role").GetString()));
        Assert.Equal(citations.GetRawText(), stored[1].GetProperty("citations").GetRawText());
    }

    [Fact]
    public async Task Chat_WithRagFilter_RetrievesOnlyMatchingDocuments()
    {
        var (gateway, handbook, _, parking) = await StartWithHandbookAsync();

        var rag = """{"collectionIds":["{handbook}"],"filter":{"topic":{"$in":["parking","travel"]}}}""".Replace("{handbook}", handbook.Id, StringComparison.Ordinal);

        using var response = await gateway.Client.PostAsync("api/chat", Json(
            $$"""{"messages":[{"role":"user","content":"How many days of paid holiday do I get?"}],"rag":{{rag}}}"""));

        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        AssertCites(Assert.Single(body.GetProperty("citations").EnumerateArray()), 1, parking, handbook);
    }

    [Fact]
    public async Task Chat_NothingAboveMinScore_TellsTheModelTheDocumentsDoNotCoverIt()
    {
        var (gateway, handbook, _, _) = await StartWithHandbookAsync();

        using var response = await gateway.Client.PostAsync("api/chat", Json($$$"""
            {"messages":[{"role":"user","content":"What is the capital of Mongolia?"}],"rag":{"collectionIds":["{{{handbook.Id}}}"],"minScore":0.8}}
            """));

        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Empty(body.GetProperty("citations").EnumerateArray());
        var context = SentMessages(0)[0];
        Assert.Equal(("system", ChatContextOptions.DefaultNothingFoundInstruction), (context.GetProperty("role").GetString(), context.GetProperty("content").GetString()));
        Assert.DoesNotContain(SentMessages(0), m => m.GetProperty("content").GetString()!.Contains("garage", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Chat_InSpaceWithLinkedCollection_RetrievesWithoutBeingAskedUnlessRagIsFalse()
    {
        var (gateway, handbook, holidays, _) = await StartWithHandbookAsync();
        var space = await gateway.Services.GetRequiredService<ISpaceStore>().CreateSpaceAsync(new SpaceDefinition("HR"));
        await gateway.Services.GetRequiredService<RagService>().LinkCollectionAsync(space.Id, handbook.Id);

        using var automatic = await gateway.Client.PostAsync("api/chat", Json($$$"""
            {"spaceId":"{{{space.Id}}}","messages":[{"role":"user","content":"How many days of paid holiday do I get?"}]}
            """));
        var conversationId = Assert.Single(automatic.Headers.GetValues("X-Conversation-Id"));
        using var continued = await gateway.Client.PostAsync("api/chat", Json($$$"""
            {"conversationId":"{{{conversationId}}}","messages":[{"role":"user","content":"And do unused holiday days carry over?"}],"rag":{"k":1}}
            """));
        using var off = await gateway.Client.PostAsync("api/chat", Json($$$"""
            {"spaceId":"{{{space.Id}}}","messages":[{"role":"user","content":"How many days of paid holiday do I get?"}],"rag":false}
            """));

        var first = JsonDocument.Parse(await automatic.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(2, first.GetProperty("citations").GetArrayLength());
        AssertCites(first.GetProperty("citations")[0], 1, holidays, handbook);
        var second = JsonDocument.Parse(await continued.Content.ReadAsStringAsync()).RootElement;
        AssertCites(Assert.Single(second.GetProperty("citations").EnumerateArray()), 1, holidays, handbook);
        // The continued turn's history holds the earlier question and answer, not the earlier context.
        Assert.Equal(["user", "assistant", "system", "user"], SentMessages(1).Select(m => m.GetProperty("role").GetString()));
        Assert.False(JsonDocument.Parse(await off.Content.ReadAsStringAsync()).RootElement.TryGetProperty("citations", out _));
        Assert.Single(SentMessages(2));
    }

    [Fact]
    public async Task Chat_InSpaceWithCollectionsAndFromSpaceOff_RetrievesOnlyWhenAsked()
    {
        var (gateway, handbook, _, _) = await StartWithHandbookAsync(("RAG_CHAT_FROM_SPACE", "false"));
        var space = await gateway.Services.GetRequiredService<ISpaceStore>().CreateSpaceAsync(new SpaceDefinition("HR"));
        await gateway.Services.GetRequiredService<RagService>().LinkCollectionAsync(space.Id, handbook.Id);

        using var plain = await gateway.Client.PostAsync("api/chat", Json($$$"""{"spaceId":"{{{space.Id}}}","messages":[{"role":"user","content":"Holidays?"}]}"""));
        using var asked = await gateway.Client.PostAsync("api/chat", Json($$$"""{"spaceId":"{{{space.Id}}}","messages":[{"role":"user","content":"Holidays?"}],"rag":true}"""));

        Assert.False(JsonDocument.Parse(await plain.Content.ReadAsStringAsync()).RootElement.TryGetProperty("citations", out _));
        Assert.Equal(2, JsonDocument.Parse(await asked.Content.ReadAsStringAsync()).RootElement.GetProperty("citations").GetArrayLength());
    }

    [Theory]
    [InlineData("""{"collectionIds":["0190a4b2-7c3d-7e8f-9a0b-00000000dead"]}""", HttpStatusCode.NotFound, "collection_not_found", "rag.collectionIds[0]")]
    [InlineData("""{"collectionIds":["{handbook}"],"minScore":1.5}""", HttpStatusCode.BadRequest, "invalid_request", "rag.minScore")]
    [InlineData("true", HttpStatusCode.BadRequest, "invalid_request", "rag.collectionIds")]
    public async Task Chat_RagThatCannotBeSearched_AnswersTheErrorNamingTheMemberAndStoresNothing(string rag, HttpStatusCode status, string errorCode, string field)
    {
        var (gateway, handbook, _, _) = await StartWithHandbookAsync();

        using var response = await gateway.Client.PostAsync("api/chat", Json(
            $$"""{"messages":[{"role":"user","content":"Holidays?"}],"rag":{{rag.Replace("{handbook}", handbook.Id, StringComparison.Ordinal)}}}"""));

        var problem = await AssertProblemAsync(response, status, errorCode);
        Assert.Equal(field, problem.GetProperty("field").GetString());
        Assert.Empty(Upstream.Requests);
        var conversations = JsonDocument.Parse(await gateway.Client.GetStringAsync("api/conversations")).RootElement.GetProperty("items");
        Assert.Empty(conversations.EnumerateArray());
    }

    /// <summary>A gateway with retrieval, and a collection of two one-chunk documents with a <c>topic</c> each.</summary>
    private async Task<(GatewayTestHost Gateway, RagCollection Handbook, RagChunk Holidays, RagChunk Parking)> StartWithHandbookAsync(
        params (string Key, string Value)[] settings)
    {
        var gateway = await StartGatewayWithStorageAsync(g => g.AddOnnxEmbeddings().AddRag(), settings);
        var rag = gateway.Services.GetRequiredService<RagService>();
        var handbook = await rag.CreateCollectionAsync(new NewRagCollection("Handbook"));
        var holidays = await rag.AddDocumentAsync(handbook.Id, new NewRagDocument("holidays.md", HolidayText, JsonDocument.Parse("""{"topic":"leave"}""").RootElement));
        var parking = await rag.AddDocumentAsync(handbook.Id, new NewRagDocument("parking.md", ParkingText, JsonDocument.Parse("""{"topic":"parking"}""").RootElement));
        return (gateway, handbook, Assert.Single(holidays.Chunks), Assert.Single(parking.Chunks));
    }

    private static void AssertCites(JsonElement citation, int index, RagChunk chunk, RagCollection collection)
    {
        Assert.Equal(index, citation.GetProperty("index").GetInt32());
        Assert.Equal(chunk.Id, citation.GetProperty("chunkId").GetString());
        Assert.Equal(chunk.DocumentId, citation.GetProperty("documentId").GetString());
        Assert.Equal(collection.Id, citation.GetProperty("collectionId").GetString());
        Assert.Equal(chunk.Citation.Start, citation.GetProperty("citation").GetProperty("start").GetInt32());
        Assert.Equal(chunk.Citation.End, citation.GetProperty("citation").GetProperty("end").GetInt32());
    }

    private List<JsonElement> SentMessages(int request) =>
        [.. JsonDocument.Parse(Upstream.Requests[request].Body).RootElement.GetProperty("messages").EnumerateArray()];

    private static async Task<List<SseEvent>> ReadEventsAsync(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await SseReader.ReadAllAsync(response);
    }
}
