using System.ClientModel;
using System.Net;
using System.Text.Json;
using Gateway.AspNetCore.Tests.Infrastructure;
using Gateway.TestUpstream;
using Microsoft.Extensions.AI;
using OpenAI;
using OpenAI.Chat;
using static Gateway.AspNetCore.Tests.Routing.RoutingEndpointTests;

namespace Gateway.AspNetCore.Tests.OpenAI;

/// <summary>
/// Structured output and the other OpenAI request parameters on /v1/chat/completions: what reaches each
/// provider's upstream, and what a route cannot honour (refused, or dropped with DROP_UNSUPPORTED_PARAMS).
/// </summary>
public sealed class OpenAIParameterTests : GatewayFixture
{
    private const string WeatherSchema = """{"type":"object","properties":{"city":{"type":"string"}},"required":["city"],"additionalProperties":false}""";

    private JsonElement UpstreamBody() => JsonDocument.Parse(Assert.Single(Upstream.Requests).Body).RootElement;

    private async Task<OpenAIClient> StartOfficialClientAsync(string route)
    {
        var gateway = await StartGatewayAsync(("MODEL_ROUTE_MAIN", route));
        return new OpenAIClient(new ApiKeyCredential("unused"), new OpenAIClientOptions { Endpoint = new Uri(gateway.BaseAddress, "v1") });
    }

    [Fact]
    public async Task ChatCompletions_EveryParameter_ReachesOpenAIUpstreamAsSent()
    {
        var gateway = await StartGatewayAsync(("MODEL_ROUTE_MAIN", OpenAIRoute()));

        using var response = await gateway.Client.PostAsync("v1/chat/completions", Json("""
            {"model":"main","messages":[{"role":"user","content":"Hi"}],
             "response_format":{"type":"json_schema","json_schema":{"name":"weather","description":"The weather","schema":$SCHEMA,"strict":true}},
             "seed":42,"presence_penalty":0.5,"frequency_penalty":-0.25,"logprobs":true,"top_logprobs":3,"user":"user-1",
             "stop":["END"],"top_k":5,"metadata":{"team":"a"},"service_tier":"flex","logit_bias":{"50256":-100}}
            """.Replace("$SCHEMA", WeatherSchema)));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.False(response.Headers.Contains("X-Gateway-Dropped-Params"));
        var body = UpstreamBody();
        var format = body.GetProperty("response_format");
        Assert.Equal("json_schema", format.GetProperty("type").GetString());
        Assert.Equal("weather", format.GetProperty("json_schema").GetProperty("name").GetString());
        Assert.Equal("The weather", format.GetProperty("json_schema").GetProperty("description").GetString());
        Assert.True(format.GetProperty("json_schema").GetProperty("strict").GetBoolean());
        Assert.True(JsonElement.DeepEquals(JsonDocument.Parse(WeatherSchema).RootElement, format.GetProperty("json_schema").GetProperty("schema")));
        Assert.Equal(42, body.GetProperty("seed").GetInt64());
        Assert.Equal(0.5, body.GetProperty("presence_penalty").GetDouble());
        Assert.Equal(-0.25, body.GetProperty("frequency_penalty").GetDouble());
        Assert.True(body.GetProperty("logprobs").GetBoolean());
        Assert.Equal(3, body.GetProperty("top_logprobs").GetInt32());
        Assert.Equal("user-1", body.GetProperty("user").GetString());
        Assert.Equal(["END"], body.GetProperty("stop").EnumerateArray().Select(s => s.GetString()));
        Assert.Equal(5, body.GetProperty("top_k").GetInt32());

        // Members the gateway does not read pass through unchanged.
        Assert.Equal("""{"team":"a"}""", body.GetProperty("metadata").GetRawText());
        Assert.Equal("flex", body.GetProperty("service_tier").GetString());
        Assert.Equal("""{"50256":-100}""", body.GetProperty("logit_bias").GetRawText());
    }

    [Theory]
    [InlineData("""{"type":"json_object"}""", """{"type":"json_object"}""")]
    [InlineData("""{"type":"text"}""", """{"type":"text"}""")]
    public async Task ChatCompletions_ResponseFormatMode_ReachesOpenAIUpstream(string sent, string forwarded)
    {
        var gateway = await StartGatewayAsync(("MODEL_ROUTE_MAIN", OpenAIRoute()));

        using var response = await gateway.Client.PostAsync("v1/chat/completions", Json("""
            {"model":"main","messages":[{"role":"user","content":"Hi"}],"response_format":$SENT}
            """.Replace("$SENT", sent)));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(forwarded, UpstreamBody().GetProperty("response_format").GetRawText());
    }

    [Fact]
    public async Task CompleteChat_OfficialClientJsonSchemaFormat_ForwardsSchemaAndReturnsTheJson()
    {
        var client = await StartOfficialClientAsync(OpenAIRoute());
        Upstream.Behavior = new UpstreamBehavior { Chunks = ["""{"city":""", "\"Oslo\"}"] };

        ChatCompletion completion = await client.GetChatClient("main").CompleteChatAsync(
            [new UserChatMessage("Where?")],
            new ChatCompletionOptions
            {
                ResponseFormat = global::OpenAI.Chat.ChatResponseFormat.CreateJsonSchemaFormat("weather", BinaryData.FromString(WeatherSchema), jsonSchemaIsStrict: true),
#pragma warning disable OPENAI001 // Seed is marked experimental in the client; the wire member is stable.
                Seed = 7,
#pragma warning restore OPENAI001
                PresencePenalty = 0.1f,
                FrequencyPenalty = 0.2f,
                EndUserId = "user-2",
            });

        Assert.Equal("Oslo", JsonDocument.Parse(completion.Content[0].Text).RootElement.GetProperty("city").GetString());
        var body = UpstreamBody();
        var schema = body.GetProperty("response_format").GetProperty("json_schema");
        Assert.Equal("weather", schema.GetProperty("name").GetString());
        Assert.True(schema.GetProperty("strict").GetBoolean());
        Assert.Equal("object", schema.GetProperty("schema").GetProperty("type").GetString());
        Assert.Equal(7, body.GetProperty("seed").GetInt64());
        Assert.Equal(0.1, body.GetProperty("presence_penalty").GetDouble());
        Assert.Equal(0.2, body.GetProperty("frequency_penalty").GetDouble());
        Assert.Equal("user-2", body.GetProperty("user").GetString());
    }

    [Fact]
    public async Task GetResponseAsyncOfT_ChatClientThroughGateway_GetsTypedResult()
    {
        var client = await StartOfficialClientAsync(OpenAIRoute());
        Upstream.Behavior = new UpstreamBehavior { Chunks = ["""{"city":"Bergen"}"""] };
        IChatClient chat = client.GetChatClient("main").AsIChatClient();

        var response = await chat.GetResponseAsync<Weather>("What is the weather?");

        Assert.Equal("Bergen", response.Result.City);
        var format = UpstreamBody().GetProperty("response_format");
        Assert.Equal("json_schema", format.GetProperty("type").GetString());
        Assert.Equal("object", format.GetProperty("json_schema").GetProperty("schema").GetProperty("type").GetString());
    }

    [Fact]
    public async Task ChatCompletions_OllamaRoute_MapsResponseFormatPenaltiesSeedAndStopToOllamasNames()
    {
        var gateway = await StartGatewayAsync(("MODEL_ROUTE_MAIN", OllamaRoute()));

        using var schemaResponse = await gateway.Client.PostAsync("v1/chat/completions", Json("""
            {"model":"main","messages":[{"role":"user","content":"Hi"}],"seed":11,"presence_penalty":1.5,"frequency_penalty":0.5,"stop":"END",
             "response_format":{"type":"json_schema","json_schema":{"name":"weather","schema":$SCHEMA,"strict":true}}}
            """.Replace("$SCHEMA", WeatherSchema)));
        using var jsonResponse = await gateway.Client.PostAsync("v1/chat/completions", Json("""
            {"model":"main","messages":[{"role":"user","content":"Hi"}],"response_format":{"type":"json_object"}}
            """));

        Assert.Equal(HttpStatusCode.OK, schemaResponse.StatusCode);
        Assert.Equal(HttpStatusCode.OK, jsonResponse.StatusCode);
        var schemaBody = JsonDocument.Parse(Upstream.Requests[0].Body).RootElement;
        Assert.True(JsonElement.DeepEquals(JsonDocument.Parse(WeatherSchema).RootElement, schemaBody.GetProperty("format")));
        var options = schemaBody.GetProperty("options");
        Assert.Equal(11, options.GetProperty("seed").GetInt64());
        Assert.Equal(1.5, options.GetProperty("presence_penalty").GetDouble());
        Assert.Equal(0.5, options.GetProperty("frequency_penalty").GetDouble());
        Assert.Equal(["END"], options.GetProperty("stop").EnumerateArray().Select(s => s.GetString()));
        Assert.Equal("json", JsonDocument.Parse(Upstream.Requests[1].Body).RootElement.GetProperty("format").GetString());
    }

    [Theory]
    [InlineData("\"n\":2", "n")]
    [InlineData("\"logprobs\":true", "logprobs")]
    [InlineData("\"user\":\"user-1\"", "user")]
    [InlineData("\"metadata\":{\"team\":\"a\"}", "metadata")]
    public async Task ChatCompletions_ParameterOllamaCannotHonour_Answers400UnsupportedParameterNamingIt(string member, string param)
    {
        var gateway = await StartGatewayAsync(("MODEL_ROUTE_MAIN", OllamaRoute()));

        using var response = await gateway.Client.PostAsync("v1/chat/completions", Json("""
            {"model":"main","messages":[{"role":"user","content":"Hi"}],$MEMBER}
            """.Replace("$MEMBER", member)));

        var problem = await AssertProblemAsync(response, HttpStatusCode.BadRequest, "unsupported_parameter");
        var error = problem.GetProperty("error");
        Assert.Equal("unsupported_parameter", error.GetProperty("code").GetString());
        Assert.Equal("invalid_request_error", error.GetProperty("type").GetString());
        Assert.Equal(param, error.GetProperty("param").GetString());
        Assert.StartsWith(param + ":", error.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Contains("DROP_UNSUPPORTED_PARAMS", error.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Empty(Upstream.Requests);
    }

    [Fact]
    public async Task ChatCompletions_OneParameter_DefaultsThatAskForNothingAreNotRefused()
    {
        var gateway = await StartGatewayAsync(("MODEL_ROUTE_MAIN", OllamaRoute()));

        using var response = await gateway.Client.PostAsync("v1/chat/completions", Json("""
            {"model":"main","messages":[{"role":"user","content":"Hi"}],"n":1,"logprobs":false}
            """));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task ChatCompletions_DropUnsupportedParams_DropsThemAndListsThemInTheHeader(bool stream)
    {
        var gateway = await StartGatewayAsync(("MODEL_ROUTE_MAIN", OllamaRoute()), ("DROP_UNSUPPORTED_PARAMS", "true"));

        using var response = await gateway.Client.PostAsync("v1/chat/completions", Json("""
            {"model":"main","stream":$STREAM,"messages":[{"role":"user","content":"Hi"}],
             "n":3,"logprobs":true,"user":"user-1","seed":5}
            """.Replace("$STREAM", stream ? "true" : "false")));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("logprobs,user,n", Assert.Single(response.Headers.GetValues("X-Gateway-Dropped-Params")));
        var body = UpstreamBody();
        Assert.False(body.TryGetProperty("n", out _));
        Assert.False(body.TryGetProperty("logprobs", out _));
        Assert.False(body.TryGetProperty("user", out _));
        Assert.Equal(5, body.GetProperty("options").GetProperty("seed").GetInt64());
    }

    [Theory]
    [InlineData("""{"type":"xml"}""", "response_format.type")]
    [InlineData("""{"type":"json_schema","json_schema":{"name":"x"}}""", "response_format.json_schema.schema")]
    [InlineData("""{"type":"json_schema"}""", "response_format.json_schema.schema")]
    public async Task ChatCompletions_BadResponseFormat_Answers400NamingTheField(string format, string field)
    {
        var gateway = await StartGatewayAsync(("MODEL_ROUTE_MAIN", OpenAIRoute()));

        using var response = await gateway.Client.PostAsync("v1/chat/completions", Json("""
            {"model":"main","messages":[{"role":"user","content":"Hi"}],"response_format":$FORMAT}
            """.Replace("$FORMAT", format)));

        var problem = await AssertProblemAsync(response, HttpStatusCode.BadRequest, "invalid_request");
        Assert.StartsWith(field + ":", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Empty(Upstream.Requests);
    }

    /// <summary>The structured answer the typed call asks for.</summary>
    public sealed record Weather(string City);
}
