using System.Net;
using System.Text.Json;
using Gateway.AspNetCore.Tests.Infrastructure;
using Gateway.Core.Chat.Retrieval;
using Gateway.Core.Storage.Rag;
using Gateway.TestUpstream;
using Microsoft.Extensions.DependencyInjection;
using static Gateway.AspNetCore.Tests.Routing.RoutingEndpointTests;

namespace Gateway.AspNetCore.Tests.Chat;

/// <summary>
/// The <c>rag</c> member of the chat API over any <see cref="IChatContextRetriever"/>: how it is read, how the
/// passages reach the upstream, and the <c>citations</c> of the answer and of the stream.
/// </summary>
public sealed class ChatRetrievalTests : GatewayFixture
{
    private static readonly ChatContext TwoPassages = new(
        ["c1"],
        [
            new ChatContextPassage("k1", "d1", "handbook.md", "c1", "Holidays are 25 days a year.", 0.8, new ChunkCitation(0, 28, "Leave > Holidays")),
            new ChatContextPassage("k2", "d2", "policy.pdf", "c1", "Unused days carry over until March.", 0.6, new ChunkCitation(120, 155, Page: 3)),
        ]);

    [Theory]
    [InlineData("\"yes\"", "invalid_request", "rag")]
    [InlineData("""{"k":0}""", "invalid_request", "rag.k")]
    [InlineData("""{"k":201}""", "invalid_request", "rag.k")]
    [InlineData("""{"k":"5"}""", "invalid_request", "rag.k")]
    [InlineData("""{"k":2.5}""", "invalid_request", "rag.k")]
    [InlineData("""{"minScore":"high"}""", "invalid_request", "rag.minScore")]
    [InlineData("""{"collectionIds":"c1"}""", "invalid_request", "rag.collectionIds")]
    [InlineData("""{"collectionIds":[]}""", "invalid_request", "rag.collectionIds")]
    [InlineData("""{"collectionIds":["c1",7]}""", "invalid_request", "rag.collectionIds[1]")]
    [InlineData("""{"filter":[1]}""", "invalid_filter", "rag.filter")]
    [InlineData("""{"filter":{"year":{"$gte":"soon"}}}""", "invalid_filter", "rag.filter.year.$gte")]
    [InlineData("""{"filter":{"$or":[{"a":1},{"b":{"$regex":"x"}}]}}""", "invalid_filter", "rag.filter.$or[1].b.$regex")]
    public async Task Chat_BadRagMember_Answers400NamingItAndCallsNothing(string rag, string errorCode, string field)
    {
        var retriever = new FixedRetriever(TwoPassages);
        var gateway = await StartGatewayAsync(g => g.Services.AddSingleton<IChatContextRetriever>(retriever), ("MODEL_ROUTE_MAIN", OpenAIRoute()));

        foreach (var path in new[] { "api/chat", "api/chat/stream" })
        {
            using var response = await gateway.Client.PostAsync(path, Json($$"""{"messages":[{"role":"user","content":"Hi"}],"rag":{{rag}}}"""));

            var problem = await AssertProblemAsync(response, HttpStatusCode.BadRequest, errorCode);
            Assert.Equal(field, problem.GetProperty("field").GetString());
        }

        Assert.Empty(retriever.Queries);
        Assert.Empty(Upstream.Requests);
    }

    [Fact]
    public async Task Chat_RagWithoutRetrievalConfigured_Answers400NamingRag()
    {
        var gateway = await StartGatewayAsync(("MODEL_ROUTE_MAIN", OpenAIRoute()));

        using var response = await gateway.Client.PostAsync("api/chat", Json("""{"messages":[{"role":"user","content":"Hi"}],"rag":true}"""));

        var problem = await AssertProblemAsync(response, HttpStatusCode.BadRequest, "invalid_request");
        Assert.Equal("rag", problem.GetProperty("field").GetString());
        Assert.Contains("AddRag()", problem.GetProperty("detail").GetString());
        Assert.Empty(Upstream.Requests);
    }

    [Fact]
    public async Task Chat_WithRag_SendsPassagesBeforeTheQuestionAndReturnsTheirCitations()
    {
        var retriever = new FixedRetriever(TwoPassages);
        var gateway = await StartGatewayAsync(g => g.Services.AddSingleton<IChatContextRetriever>(retriever), ("MODEL_ROUTE_MAIN", OpenAIRoute()));
        Upstream.Behavior = new UpstreamBehavior { Chunks = ["25 days [1]."] };

        using var response = await gateway.Client.PostAsync("api/chat", Json("""
            {"messages":[{"role":"system","content":"Be brief."},{"role":"user","content":"How many holidays?"}],
             "rag":{"collectionIds":["c1","c1"],"k":3,"filter":{"lang":"en"},"minScore":0.25}}
            """));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal("25 days [1].", body.GetProperty("message").GetProperty("content").GetString());
        AssertTwoCitations(body.GetProperty("citations"));
        var query = Assert.Single(retriever.Queries);
        Assert.Equal(("How many holidays?", (string?)null, 3, 0.25), (query.Question, query.SpaceId, query.K, query.MinScore));
        Assert.Equal(["c1"], query.CollectionIds);
        Assert.Equal(new ComparisonFilter(new FilterField("lang"), FilterOperator.Equal, FilterValue.OfString("en")), query.Filter);
        var sent = SentMessages();
        Assert.Equal(["system", "system", "user"], sent.Select(m => m.GetProperty("role").GetString()));
        Assert.Equal(
            ChatContextOptions.DefaultTemplate.Replace(ChatContextOptions.PassagesPlaceholder, """
                [1] handbook.md > Leave > Holidays
                Holidays are 25 days a year.

                [2] policy.pdf, page 3
                Unused days carry over until March.
                """.ReplaceLineEndings("\n")),
            sent[1].GetProperty("content").GetString());
    }

    [Fact]
    public async Task Stream_WithRag_SendsTheCitationsEventBeforeTheFirstDelta()
    {
        var retriever = new FixedRetriever(TwoPassages);
        var gateway = await StartGatewayAsync(g => g.Services.AddSingleton<IChatContextRetriever>(retriever), ("MODEL_ROUTE_MAIN", OpenAIRoute()));
        Upstream.Behavior = new UpstreamBehavior { Chunks = ["25 ", "days."] };

        using var response = await gateway.Client.PostAsync("api/chat/stream", Json("""{"messages":[{"role":"user","content":"Holidays?"}],"rag":true}"""));

        var events = await ReadEventsAsync(response);
        Assert.Equal(["citations", null, null, "done"], events.Select(e => e.Name));
        AssertTwoCitations(JsonDocument.Parse(events[0].Data).RootElement.GetProperty("citations"));
        Assert.Null(Assert.Single(retriever.Queries).CollectionIds);
    }

    [Theory]
    [InlineData("api/chat")]
    [InlineData("api/chat/stream")]
    public async Task Chat_WithRagAndStorage_StoresTheCitationsWithTheReplyAndNotTheContext(string path)
    {
        var retriever = new FixedRetriever(TwoPassages);
        var gateway = await StartGatewayWithStorageAsync(g => g.Services.AddSingleton<IChatContextRetriever>(retriever));
        Upstream.Behavior = new UpstreamBehavior { Chunks = ["25 days [1]."] };

        using var response = await gateway.Client.PostAsync(path, Json("""{"messages":[{"role":"user","content":"How many holidays?"}],"rag":true}"""));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await response.Content.ReadAsStringAsync();
        var conversationId = Assert.Single(response.Headers.GetValues("X-Conversation-Id"));
        var messages = JsonDocument.Parse(await gateway.Client.GetStringAsync($"api/conversations/{conversationId}/messages")).RootElement.GetProperty("items");
        Assert.Equal(["user", "assistant"], messages.EnumerateArray().Select(m => m.GetProperty("role").GetString()));
        Assert.False(messages[0].TryGetProperty("citations", out _));
        AssertTwoCitations(messages[1].GetProperty("citations"));
        Assert.Equal("25 days [1].", messages[1].GetProperty("content").GetString());
    }

    [Fact]
    public async Task Chat_NothingAboveMinScore_TellsTheModelSoAndReturnsNoCitations()
    {
        var retriever = new FixedRetriever(new ChatContext(["c1"], []));
        var gateway = await StartGatewayAsync(
            g => g.Services.AddSingleton<IChatContextRetriever>(retriever),
            ("MODEL_ROUTE_MAIN", OpenAIRoute()),
            ("RAG_CHAT_NOTHING_FOUND", "Nothing in the files about: {question}"));

        using var response = await gateway.Client.PostAsync("api/chat", Json("""{"messages":[{"role":"user","content":"Mars?"}],"rag":{"minScore":0.9}}"""));
        using var stream = await gateway.Client.PostAsync("api/chat/stream", Json("""{"messages":[{"role":"user","content":"Mars?"}],"rag":{"minScore":0.9}}"""));

        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Empty(body.GetProperty("citations").EnumerateArray());
        var sent = SentMessages();
        Assert.Equal(("system", "Nothing in the files about: Mars?"), (sent[0].GetProperty("role").GetString(), sent[0].GetProperty("content").GetString()));
        var events = await ReadEventsAsync(stream);
        Assert.Equal("""{"citations":[]}""", events[0].Data);
    }

    [Fact]
    public async Task Chat_RagFalse_RetrievesNothingAndHasNoCitations()
    {
        var retriever = new FixedRetriever(TwoPassages);
        var gateway = await StartGatewayAsync(g => g.Services.AddSingleton<IChatContextRetriever>(retriever), ("MODEL_ROUTE_MAIN", OpenAIRoute()));

        using var response = await gateway.Client.PostAsync("api/chat", Json("""{"messages":[{"role":"user","content":"Hi"}],"rag":false}"""));
        using var plain = await gateway.Client.PostAsync("api/chat", Json(HelloMessages));

        foreach (var answer in new[] { response, plain })
        {
            var body = JsonDocument.Parse(await answer.Content.ReadAsStringAsync()).RootElement;
            Assert.False(body.TryGetProperty("citations", out _));
        }

        Assert.Empty(retriever.Queries);
        Assert.All(Upstream.Requests, request => Assert.Single(JsonDocument.Parse(request.Body).RootElement.GetProperty("messages").EnumerateArray()));
    }

    private static void AssertTwoCitations(JsonElement citations)
    {
        Assert.Equal(
            """[{"index":1,"chunkId":"k1","documentId":"d1","documentName":"handbook.md","collectionId":"c1","citation":{"start":0,"end":28,"headingPath":"Leave > Holidays","page":null,"jsonPath":null}},"""
            + """{"index":2,"chunkId":"k2","documentId":"d2","documentName":"policy.pdf","collectionId":"c1","citation":{"start":120,"end":155,"headingPath":null,"page":3,"jsonPath":null}}]""",
            citations.GetRawText());
    }

    private List<JsonElement> SentMessages() =>
        [.. JsonDocument.Parse(Upstream.Requests[0].Body).RootElement.GetProperty("messages").EnumerateArray()];

    private static async Task<List<SseEvent>> ReadEventsAsync(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await SseReader.ReadAllAsync(response);
    }

    private sealed class FixedRetriever(ChatContext context) : IChatContextRetriever
    {
        public List<ChatContextQuery> Queries { get; } = [];

        public ValueTask<ChatContext?> RetrieveAsync(ChatContextQuery query, CancellationToken cancellationToken = default)
        {
            lock (Queries)
            {
                Queries.Add(query);
            }

            return ValueTask.FromResult<ChatContext?>(context);
        }
    }
}
