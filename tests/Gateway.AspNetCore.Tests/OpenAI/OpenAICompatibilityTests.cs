using System.ClientModel;
using System.Net;
using System.Text.Json;
using Gateway.AspNetCore.Tests.Infrastructure;
using Gateway.TestUpstream;
using OpenAI;
using OpenAI.Chat;
using static Gateway.AspNetCore.Tests.Routing.RoutingEndpointTests;

namespace Gateway.AspNetCore.Tests.OpenAI;

/// <summary>The /v1 surface checked with the official OpenAI .NET client, unchanged, pointed at the gateway.</summary>
public sealed class OpenAICompatibilityTests : GatewayFixture
{
    private async Task<OpenAIClient> StartGatewayClientAsync(params (string, string)[] extra)
    {
        var gateway = await StartGatewayAsync([("GATEWAY_API_KEYS", "sk-gateway"), .. extra]);
        return new OpenAIClient(new ApiKeyCredential("sk-gateway"), new OpenAIClientOptions { Endpoint = new Uri(gateway.BaseAddress, "v1") });
    }

    [Fact]
    public async Task CompleteChat_OfficialClient_GetsAnswerAndUsage()
    {
        var client = await StartGatewayClientAsync(("MODEL_ROUTE_MAIN", OllamaRoute()));
        Upstream.Behavior = new UpstreamBehavior { Chunks = ["Hi", " there"], PromptTokens = 5, CompletionTokens = 2 };

        ChatCompletion completion = await client.GetChatClient("main").CompleteChatAsync(
            [new SystemChatMessage("Be brief."), new UserChatMessage("Hello")],
            new ChatCompletionOptions { Temperature = 0.5f, MaxOutputTokenCount = 10 });

        Assert.Equal("Hi there", completion.Content[0].Text);
        Assert.Equal(ChatFinishReason.Stop, completion.FinishReason);
        Assert.Equal(5, completion.Usage.InputTokenCount);
        Assert.Equal(2, completion.Usage.OutputTokenCount);
        Assert.Equal("main", completion.Model);
        Assert.StartsWith("chatcmpl-", completion.Id);
    }

    [Fact]
    public async Task CompleteChatStreaming_OfficialClient_GetsDeltasAndUsage()
    {
        var client = await StartGatewayClientAsync(("MODEL_ROUTE_MAIN", OpenAIRoute("upstream-id")));
        Upstream.Behavior = new UpstreamBehavior { Chunks = ["a", "b", "c"], PromptTokens = 9, CompletionTokens = 3 };

        var text = new System.Text.StringBuilder();
        ChatFinishReason? finish = null;
        ChatTokenUsage? usage = null;
        await foreach (var update in client.GetChatClient("upstream-id").CompleteChatStreamingAsync(
            [new UserChatMessage("Hello")]))
        {
            foreach (var part in update.ContentUpdate)
            {
                text.Append(part.Text);
            }

            finish ??= update.FinishReason;
            usage ??= update.Usage;
        }

        Assert.Equal("abc", text.ToString());
        Assert.Equal(ChatFinishReason.Stop, finish);
        Assert.NotNull(usage);
        Assert.Equal(9, usage.InputTokenCount);
        Assert.Equal(3, usage.OutputTokenCount);
    }

    [Fact]
    public async Task GetModels_OfficialClient_ListsAllowedRouteKeys()
    {
        var client = await StartGatewayClientAsync(
            ("MODEL_ROUTE_ONE", OpenAIRoute("m1")), ("MODEL_ROUTE_TWO", OllamaRoute("m2")), ("ALLOWED_MODELS", "m1"));

        var models = await client.GetOpenAIModelClient().GetModelsAsync();

        Assert.Equal(["one"], models.Value.Select(m => m.Id));
        Assert.Equal("openai", models.Value[0].OwnedBy);
    }

    [Fact]
    public async Task CompleteChat_UnknownModel_OfficialClientSeesOpenAIError()
    {
        var client = await StartGatewayClientAsync(("MODEL_ROUTE_MAIN", OpenAIRoute()));

        var error = await Assert.ThrowsAsync<ClientResultException>(
            () => client.GetChatClient("no-such-model").CompleteChatAsync([new UserChatMessage("Hello")]));

        Assert.Equal(404, error.Status);
        Assert.Contains("no-such-model", error.Message);
    }

    [Fact]
    public async Task Stream_RawWire_IsOpenAIChunkFormatEndingWithDone()
    {
        var gateway = await StartGatewayAsync(("MODEL_ROUTE_MAIN", OpenAIRoute()));
        Upstream.Behavior = new UpstreamBehavior { Chunks = ["x", "y"] };

        using var response = await gateway.Client.PostAsync("v1/chat/completions", Json("""
            {"model":"main","stream":true,"stream_options":{"include_usage":true},"messages":[{"role":"user","content":[{"type":"text","text":"Hi"}]}]}
            """));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var events = await SseReader.ReadAllAsync(response);
        Assert.All(events, e => Assert.Null(e.Name));
        Assert.Equal("[DONE]", events[^1].Data);

        var chunks = events.SkipLast(1).Select(e => JsonDocument.Parse(e.Data).RootElement).ToList();
        Assert.All(chunks, c => Assert.Equal("chat.completion.chunk", c.GetProperty("object").GetString()));
        Assert.Single(chunks.Select(c => c.GetProperty("id").GetString()).Distinct());
        Assert.Equal("assistant", chunks[0].GetProperty("choices")[0].GetProperty("delta").GetProperty("role").GetString());
        Assert.Equal("x", chunks[0].GetProperty("choices")[0].GetProperty("delta").GetProperty("content").GetString());
        Assert.Equal("y", chunks[1].GetProperty("choices")[0].GetProperty("delta").GetProperty("content").GetString());
        Assert.Equal("stop", chunks[2].GetProperty("choices")[0].GetProperty("finish_reason").GetString());
        Assert.Equal(0, chunks[3].GetProperty("choices").GetArrayLength());
        Assert.Equal(7, chunks[3].GetProperty("usage").GetProperty("prompt_tokens").GetInt32());
    }

    [Fact]
    public async Task Chat_ModelNamedByUpstreamIdServedTwice_Answers409()
    {
        var gateway = await StartGatewayAsync(("MODEL_ROUTE_A", OpenAIRoute("same")), ("MODEL_ROUTE_B", OllamaRoute("same")));

        using var response = await gateway.Client.PostAsync("v1/chat/completions", Json("""{"model":"same","messages":[{"role":"user","content":"Hi"}]}"""));

        var problem = await AssertProblemAsync(response, HttpStatusCode.Conflict, "route_ambiguous");
        Assert.Equal("invalid_request_error", problem.GetProperty("error").GetProperty("type").GetString());
    }

    [Theory]
    [InlineData("""{"model":"main","messages":[""", "malformed_request", "$.messages")]
    [InlineData("""{"model":"main","temperature":"hot","messages":[]}""", "malformed_request", "$.temperature")]
    [InlineData("""null""", "malformed_request", "$")]
    [InlineData("", "malformed_request", "$")]
    public async Task Chat_BodyThatDoesNotBind_Answers400InOpenAIsEnvelope(string body, string errorCode, string path)
    {
        var gateway = await StartGatewayAsync(("MODEL_ROUTE_MAIN", OpenAIRoute()));

        using var response = await gateway.Client.PostAsync("v1/chat/completions", Json(body));

        var problem = await AssertProblemAsync(response, HttpStatusCode.BadRequest, errorCode);
        Assert.StartsWith(path, problem.GetProperty("path").GetString(), StringComparison.Ordinal);
        var error = problem.GetProperty("error");
        Assert.Equal("invalid_request_error", error.GetProperty("type").GetString());
        Assert.Equal(errorCode, error.GetProperty("code").GetString());
        Assert.Equal(problem.GetProperty("detail").GetString(), error.GetProperty("message").GetString());
        Assert.Empty(Upstream.Requests);
    }

    [Fact]
    public async Task Chat_NotJson_Answers400InOpenAIsEnvelope()
    {
        var gateway = await StartGatewayAsync(("MODEL_ROUTE_MAIN", OpenAIRoute()));

        using var response = await gateway.Client.PostAsync("v1/chat/completions", new StringContent("model=main"));

        var problem = await AssertProblemAsync(response, HttpStatusCode.BadRequest, "unsupported_media_type");
        Assert.Equal("unsupported_media_type", problem.GetProperty("error").GetProperty("code").GetString());
    }
}
