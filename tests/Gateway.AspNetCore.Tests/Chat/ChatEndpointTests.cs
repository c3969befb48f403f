using System.Net;
using System.Text.Json;
using Gateway.AspNetCore.Tests.Infrastructure;
using Gateway.TestUpstream;

namespace Gateway.AspNetCore.Tests.Chat;

public sealed class ChatEndpointTests : GatewayFixture
{
    [Theory]
    [InlineData("openai")]
    [InlineData("ollama")]
    public async Task Chat_RouteToProvider_ReturnsAnswerWithUsage(string provider)
    {
        var gateway = await StartGatewayAsync(("MODEL_ROUTE_MAIN", provider == "openai" ? OpenAIRoute() : OllamaRoute()));
        Upstream.Behavior = new UpstreamBehavior { Chunks = ["Hel", "lo"], PromptTokens = 3, CompletionTokens = 2 };

        using var response = await gateway.Client.PostAsync("api/chat", Json(HelloMessages));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var root = body.RootElement;
        Assert.Equal("main", root.GetProperty("modelKey").GetString());
        Assert.Equal("test-model", root.GetProperty("model").GetString());
        Assert.Equal("assistant", root.GetProperty("message").GetProperty("role").GetString());
        Assert.Equal("Hello", root.GetProperty("message").GetProperty("content").GetString());
        Assert.Equal(3, root.GetProperty("usage").GetProperty("inputTokens").GetInt64());
        Assert.Equal(2, root.GetProperty("usage").GetProperty("outputTokens").GetInt64());
        Assert.Equal("stop", root.GetProperty("finishReason").GetString());
        Assert.Equal(JsonValueKind.Null, root.GetProperty("conversationId").ValueKind);
    }

    [Fact]
    public async Task Chat_Options_AreSentUpstream()
    {
        var gateway = await StartGatewayAsync(("MODEL_ROUTE_MAIN", OpenAIRoute()));
        Upstream.ClearRequests();

        using var response = await gateway.Client.PostAsync("api/chat", Json("""
            {"messages":[{"role":"system","content":"Be brief."},{"role":"user","content":"Hi"}],
             "options":{"temperature":0.7,"topP":0.9,"maxTokens":5,"stop":["END"]}}
            """));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var sent = JsonDocument.Parse(Assert.Single(Upstream.Requests).Body);
        var root = sent.RootElement;
        Assert.Equal("test-model", root.GetProperty("model").GetString());
        Assert.Equal(0.7, root.GetProperty("temperature").GetDouble());
        Assert.Equal(0.9, root.GetProperty("top_p").GetDouble());
        Assert.Equal(5, root.GetProperty("max_tokens").GetInt32());
        Assert.Equal("END", root.GetProperty("stop")[0].GetString());
        Assert.Equal("system", root.GetProperty("messages")[0].GetProperty("role").GetString());
        Assert.Equal("Hi", root.GetProperty("messages")[1].GetProperty("content").GetString());
    }

    [Theory]
    [InlineData("openai")]
    [InlineData("ollama")]
    public async Task Chat_SeedAndTopK_AreSentUpstreamOnlyWhenSet(string provider)
    {
        var gateway = await StartGatewayAsync(("MODEL_ROUTE_MAIN", provider == "openai" ? OpenAIRoute() : OllamaRoute()));

        using var set = await gateway.Client.PostAsync("api/chat", Json("""
            {"messages":[{"role":"user","content":"Hi"}],"options":{"seed":1234567890123,"topK":40}}
            """));
        using var unset = await gateway.Client.PostAsync("api/chat", Json(HelloMessages));

        Assert.Equal(HttpStatusCode.OK, set.StatusCode);
        Assert.Equal(HttpStatusCode.OK, unset.StatusCode);
        using var withBoth = JsonDocument.Parse(Upstream.Requests[0].Body);
        using var without = JsonDocument.Parse(Upstream.Requests[1].Body);
        // Ollama takes sampling settings inside "options"; OpenAI-compatible servers at the top level.
        var sampling = provider == "ollama" ? withBoth.RootElement.GetProperty("options") : withBoth.RootElement;
        Assert.Equal(1234567890123, sampling.GetProperty("seed").GetInt64());
        Assert.Equal(40, sampling.GetProperty("top_k").GetInt32());
        var plain = provider == "ollama" ? without.RootElement.GetProperty("options") : without.RootElement;
        Assert.False(plain.TryGetProperty("seed", out _));
        Assert.False(plain.TryGetProperty("top_k", out _));
    }

    [Theory]
    [InlineData("openai")]
    [InlineData("ollama")]
    public async Task Stream_Deltas_AreFramedAsSseWithDoneEvent(string provider)
    {
        var gateway = await StartGatewayAsync(("MODEL_ROUTE_MAIN", provider == "openai" ? OpenAIRoute() : OllamaRoute()));
        Upstream.Behavior = new UpstreamBehavior { Chunks = ["Hello", ", ", "wörld", "\n\"quoted\""], PromptTokens = 4, CompletionTokens = 4 };

        using var response = await gateway.Client.PostAsync("api/chat/stream", Json(HelloMessages));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        Assert.True(response.Headers.CacheControl?.NoCache);
        Assert.Equal("no", Assert.Single(response.Headers.GetValues("X-Accel-Buffering")));

        var events = await SseReader.ReadAllAsync(response);
        var deltas = events.Where(e => e.Name is null).Select(e => JsonDocument.Parse(e.Data).RootElement.GetProperty("content").GetString()).ToList();
        Assert.Equal(["Hello", ", ", "wörld", "\n\"quoted\""], deltas);

        var done = Assert.Single(events, e => e.Name == "done");
        Assert.Same(done, events[^1]);
        using var doneBody = JsonDocument.Parse(done.Data);
        Assert.Equal("main", doneBody.RootElement.GetProperty("modelKey").GetString());
        Assert.Equal(4, doneBody.RootElement.GetProperty("usage").GetProperty("inputTokens").GetInt64());
        Assert.Equal(4, doneBody.RootElement.GetProperty("usage").GetProperty("outputTokens").GetInt64());
        Assert.Equal("stop", doneBody.RootElement.GetProperty("finishReason").GetString());
    }

    [Fact]
    public async Task Stream_UpstreamFailsBeforeFirstByte_AnswersProblemWithStatus()
    {
        var gateway = await StartGatewayAsync(("MODEL_ROUTE_MAIN", OpenAIRoute()));
        Upstream.Behavior = new UpstreamBehavior { FailWithStatus = 500, FailureMessage = "model crashed" };

        using var response = await gateway.Client.PostAsync("api/chat/stream", Json(HelloMessages));

        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("upstream_error", problem.RootElement.GetProperty("errorCode").GetString());
        Assert.Contains("model crashed", problem.RootElement.GetProperty("detail").GetString());
    }

    [Theory]
    [InlineData("openai", false)]
    [InlineData("openai", true)]
    [InlineData("ollama", false)]
    [InlineData("ollama", true)]
    public async Task Stream_UpstreamFailsAfterFirstByte_EndsWithErrorEvent(string provider, bool inStreamError)
    {
        var gateway = await StartGatewayAsync(("MODEL_ROUTE_MAIN", provider == "openai" ? OpenAIRoute() : OllamaRoute()));
        Upstream.Behavior = new UpstreamBehavior
        {
            Chunks = ["one", "two", "three"],
            BreakAfterChunks = 2,
            ErrorEventAfterChunks = inStreamError,
            FailureMessage = "out of memory",
        };

        using var response = await gateway.Client.PostAsync("api/chat/stream", Json(HelloMessages));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var events = await SseReader.ReadAllAsync(response);
        Assert.Equal(2, events.Count(e => e.Name is null));
        var error = events[^1];
        Assert.Equal("error", error.Name);
        Assert.DoesNotContain(events, e => e.Name == "done");
        using var problem = JsonDocument.Parse(error.Data);
        Assert.Equal(502, problem.RootElement.GetProperty("status").GetInt32());
        Assert.Equal(inStreamError ? "upstream_error" : "upstream_unavailable", problem.RootElement.GetProperty("errorCode").GetString());
        if (inStreamError)
        {
            Assert.Contains("out of memory", problem.RootElement.GetProperty("detail").GetString());
        }
    }

    [Theory]
    [InlineData("api/chat/stream", HelloMessages)]
    [InlineData("v1/chat/completions", """{"model":"main","stream":true,"messages":[{"role":"user","content":"Hi"}]}""")]
    public async Task Stream_ClientDisconnects_CancelsUpstreamCall(string path, string body)
    {
        var gateway = await StartGatewayAsync(("MODEL_ROUTE_MAIN", OpenAIRoute()));
        Upstream.Behavior = new UpstreamBehavior { Chunks = Enumerable.Repeat("tick ", 1000).ToArray(), ChunkDelay = TimeSpan.FromMilliseconds(20) };

        using (var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = Json(body) })
        using (var response = await gateway.Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead))
        {
            await using var stream = await response.Content.ReadAsStreamAsync();
            var buffer = new byte[64];
            Assert.True(await stream.ReadAsync(buffer) > 0);
        }

        Assert.True(await Upstream.WaitForCancelledStreamAsync(TimeSpan.FromSeconds(10)), "the upstream call was not cancelled");
    }

    [Fact]
    public async Task Chat_UpstreamRejectsCredentials_Answers502NamingCredentials()
    {
        var gateway = await StartGatewayAsync(("MODEL_ROUTE_MAIN", OpenAIRoute()));
        Upstream.Behavior = new UpstreamBehavior { FailWithStatus = 401, FailureMessage = "bad key" };

        using var response = await gateway.Client.PostAsync("api/chat", Json(HelloMessages));

        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("upstream_authentication_failed", problem.RootElement.GetProperty("errorCode").GetString());
        Assert.Contains("credentials", problem.RootElement.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Chat_UpstreamRejectsRequest_Answers400WithUpstreamMessage()
    {
        var gateway = await StartGatewayAsync(("MODEL_ROUTE_MAIN", OllamaRoute()));
        Upstream.Behavior = new UpstreamBehavior { FailWithStatus = 400, FailureMessage = "context length exceeded" };

        using var response = await gateway.Client.PostAsync("api/chat", Json(HelloMessages));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("upstream_bad_request", problem.RootElement.GetProperty("errorCode").GetString());
        Assert.Contains("context length exceeded", problem.RootElement.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Chat_UpstreamUnreachable_Answers502()
    {
        var gateway = await StartGatewayAsync(("MODEL_ROUTE_MAIN", "openai|http://127.0.0.1:9/v1|m"));

        using var response = await gateway.Client.PostAsync("api/chat", Json(HelloMessages));

        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("upstream_unavailable", problem.RootElement.GetProperty("errorCode").GetString());
    }

    [Fact]
    public async Task Chat_UpstreamSlowerThanTotalTimeout_Answers504()
    {
        var gateway = await StartGatewayAsync(("MODEL_ROUTE_MAIN", OpenAIRoute()), ("TOTAL_TIMEOUT_SECONDS", "1"));
        Upstream.Behavior = new UpstreamBehavior { FirstByteDelay = TimeSpan.FromSeconds(5) };

        using var response = await gateway.Client.PostAsync("api/chat", Json(HelloMessages));

        Assert.Equal(HttpStatusCode.GatewayTimeout, response.StatusCode);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("upstream_timeout", problem.RootElement.GetProperty("errorCode").GetString());
        Assert.Equal("total", problem.RootElement.GetProperty("timeout").GetString());
    }
}
