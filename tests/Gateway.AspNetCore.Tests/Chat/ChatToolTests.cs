using System.Net;
using System.Text.Json;
using Gateway.AspNetCore.Tests.Infrastructure;
using Gateway.TestUpstream;
using static Gateway.AspNetCore.Tests.Routing.RoutingEndpointTests;

namespace Gateway.AspNetCore.Tests.Chat;

/// <summary>Tools on the gateway's own chat API: <c>tools</c> and <c>toolChoice</c> in, <c>toolCalls</c> out, a round trip back.</summary>
public sealed class ChatToolTests : GatewayFixture
{
    private const string WeatherTool =
        """{"name":"get_weather","description":"The weather in a city.","parameters":{"type":"object","properties":{"city":{"type":"string"}}}}""";

    private static readonly UpstreamBehavior CallsWeather = new()
    {
        Chunks = [],
        ToolCalls = [new UpstreamToolCall("ignored", "get_weather", """{"city":"Paris"}""")],
    };

    [Fact]
    public async Task Chat_OllamaToolRoundTrip_ReturnsToolCallsThenAnswersTheResult()
    {
        var gateway = await StartGatewayAsync(("MODEL_ROUTE_MAIN", OllamaRoute()));
        Upstream.Behavior = CallsWeather;

        using var first = await gateway.Client.PostAsync("api/chat", Json($$"""
            {"messages":[{"role":"user","content":"Weather in Paris?"}],"tools":[{{WeatherTool}}],"toolChoice":"auto"}
            """));

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        var answer = JsonDocument.Parse(await first.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal("tool_calls", answer.GetProperty("finishReason").GetString());
        var call = Assert.Single(answer.GetProperty("message").GetProperty("toolCalls").EnumerateArray());
        Assert.Equal("call_0", call.GetProperty("id").GetString());
        Assert.Equal("get_weather", call.GetProperty("name").GetString());
        Assert.Equal("""{"city":"Paris"}""", call.GetProperty("arguments").GetRawText());
        var sentTool = JsonDocument.Parse(Upstream.Requests[0].Body).RootElement.GetProperty("tools")[0].GetProperty("function");
        Assert.Equal("get_weather", sentTool.GetProperty("name").GetString());
        Assert.Equal("object", sentTool.GetProperty("parameters").GetProperty("type").GetString());

        Upstream.Behavior = new UpstreamBehavior { Chunks = ["Sunny, ", "18 °C."] };
        using var second = await gateway.Client.PostAsync("api/chat", Json($$"""
            {"messages":[
              {"role":"user","content":"Weather in Paris?"},
              {"role":"assistant","content":"","toolCalls":[{{call.GetRawText()}}]},
              {"role":"tool","toolCallId":"call_0","content":"18 °C"}],
             "tools":[{{WeatherTool}}]}
            """));

        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        var final = JsonDocument.Parse(await second.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal("Sunny, 18 °C.", final.GetProperty("message").GetProperty("content").GetString());
        Assert.Equal("stop", final.GetProperty("finishReason").GetString());
        Assert.False(final.GetProperty("message").TryGetProperty("toolCalls", out _));
        var sent = JsonDocument.Parse(Upstream.Requests[1].Body).RootElement.GetProperty("messages");
        Assert.Equal("""{"city":"Paris"}""", sent[1].GetProperty("tool_calls")[0].GetProperty("function").GetProperty("arguments").GetRawText());
        Assert.Equal("tool", sent[2].GetProperty("role").GetString());
        Assert.Equal("18 °C", sent[2].GetProperty("content").GetString());
        Assert.Equal("get_weather", sent[2].GetProperty("tool_name").GetString());
    }

    [Theory]
    [InlineData("api/chat")]
    [InlineData("api/chat/stream")]
    public async Task Chat_RouteConfiguredWithoutTools_Answers400ToolsNotSupportedNamingTheRoute(string path)
    {
        // Ollama's own report would win over the configuration; OpenAI's model list says nothing of capabilities.
        var gateway = await StartGatewayAsync(("MODEL_ROUTE_MAIN", OpenAIRoute()), ("MODEL_CAPABILITIES_MAIN", "chat,streaming"));

        using var response = await gateway.Client.PostAsync(path, Json($$"""
            {"messages":[{"role":"user","content":"Weather in Paris?"}],"tools":[{{WeatherTool}}]}
            """));

        var problem = await AssertProblemAsync(response, HttpStatusCode.BadRequest, "tools_not_supported");
        Assert.Equal("main", problem.GetProperty("modelKey").GetString());
        Assert.Contains("'main'", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Empty(Upstream.Requests);
    }

    [Theory]
    [InlineData("""{"messages":[{"role":"user","content":"Hi"}],"tools":[{"description":"no name"}]}""", "tools[0].name")]
    [InlineData("""{"messages":[{"role":"user","content":"Hi"}],"tools":[{"name":"a b"}]}""", "tools[0].name")]
    [InlineData("""{"messages":[{"role":"user","content":"Hi"}],"tools":[{"name":"f","parameters":[]}]}""", "tools[0].parameters")]
    [InlineData("""{"messages":[{"role":"user","content":"Hi"}],"tools":[{"name":"f"}],"toolChoice":"always"}""", "toolChoice")]
    [InlineData("""{"messages":[{"role":"user","content":"Hi"},{"role":"tool","content":"18"}]}""", "messages[1].toolCallId")]
    [InlineData("""{"messages":[{"role":"assistant","toolCalls":[{"name":"f","arguments":{}}]}]}""", "messages[0].toolCalls[0].id")]
    [InlineData("""{"messages":[{"role":"assistant","toolCalls":[{"id":"c","name":"f","arguments":[1]}]}]}""", "messages[0].toolCalls[0].arguments")]
    public async Task Chat_InvalidTools_Answers400NamingTheField(string body, string field)
    {
        var gateway = await StartGatewayAsync(("MODEL_ROUTE_MAIN", OllamaRoute()));

        using var response = await gateway.Client.PostAsync("api/chat", Json(body));

        var problem = await AssertProblemAsync(response, HttpStatusCode.BadRequest, "invalid_request");
        Assert.Equal(field, problem.GetProperty("field").GetString());
        Assert.Empty(Upstream.Requests);
    }

    [Fact]
    public async Task ChatStream_OllamaToolCall_IsAToolCallEventWithObjectArgumentsBeforeDone()
    {
        var gateway = await StartGatewayAsync(("MODEL_ROUTE_MAIN", OllamaRoute()));
        Upstream.Behavior = CallsWeather;

        using var response = await gateway.Client.PostAsync("api/chat/stream", Json($$"""
            {"messages":[{"role":"user","content":"Weather in Paris?"}],"tools":[{{WeatherTool}}]}
            """));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var events = await SseReader.ReadAllAsync(response);
        Assert.Equal(["tool_call", "done"], events.Select(e => e.Name));
        var call = JsonDocument.Parse(events[0].Data).RootElement;
        Assert.Equal("call_0", call.GetProperty("id").GetString());
        Assert.Equal("get_weather", call.GetProperty("name").GetString());
        Assert.Equal("""{"city":"Paris"}""", call.GetProperty("arguments").GetRawText());
        Assert.Equal("tool_calls", JsonDocument.Parse(events[1].Data).RootElement.GetProperty("finishReason").GetString());
    }

    [Fact]
    public async Task Chat_StoredToolCall_HistoryShowsTheArgumentsAsTheChatAnswerDid()
    {
        var gateway = await StartGatewayWithStorageAsync(("MODEL_ROUTE_MAIN", OllamaRoute()));
        Upstream.Behavior = CallsWeather;

        using var response = await gateway.Client.PostAsync("api/chat", Json($$"""
            {"messages":[{"role":"user","content":"Weather in Paris?"}],"tools":[{{WeatherTool}}]}
            """));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var answer = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        var answered = Assert.Single(answer.GetProperty("message").GetProperty("toolCalls").EnumerateArray());
        using var history = await gateway.Client.GetAsync($"api/conversations/{answer.GetProperty("conversationId").GetString()}/messages");
        var stored = JsonDocument.Parse(await history.Content.ReadAsStringAsync()).RootElement.GetProperty("items")[1];
        var shown = Assert.Single(stored.GetProperty("toolCalls").EnumerateArray());
        Assert.Equal(JsonValueKind.Object, shown.GetProperty("arguments").ValueKind);
        Assert.Equal(answered.GetRawText(), shown.GetRawText());
    }
}
