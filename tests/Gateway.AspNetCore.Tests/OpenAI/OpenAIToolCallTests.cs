using System.ClientModel;
using System.Net;
using System.Text;
using System.Text.Json;
using Gateway.AspNetCore.Tests.Infrastructure;
using Gateway.TestUpstream;
using OpenAI;
using OpenAI.Chat;
using static Gateway.AspNetCore.Tests.Routing.RoutingEndpointTests;

namespace Gateway.AspNetCore.Tests.OpenAI;

/// <summary>Tool calling on /v1/chat/completions, with the official OpenAI .NET client and on the raw wire.</summary>
public sealed class OpenAIToolCallTests : GatewayFixture
{
    private static readonly UpstreamToolCall[] ParallelCalls =
    [
        new("call_paris", "get_weather", ["{\"ci", "ty\":\"Pa", "ris\"}"]),
        new("call_rome", "get_weather", ["{\"city\":", "\"Rome\"}"]),
    ];

    private static readonly ChatTool Weather = ChatTool.CreateFunctionTool(
        "get_weather",
        "The current weather in a city.",
        BinaryData.FromString("""{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}"""));

    private async Task<ChatClient> StartChatClientAsync()
    {
        var gateway = await StartGatewayAsync(("GATEWAY_API_KEYS", "sk-gateway"), ("MODEL_ROUTE_MAIN", OpenAIRoute()));
        var client = new OpenAIClient(new ApiKeyCredential("sk-gateway"), new OpenAIClientOptions { Endpoint = new Uri(gateway.BaseAddress, "v1") });
        return client.GetChatClient("main");
    }

    private JsonElement UpstreamBody(int index) => JsonDocument.Parse(Upstream.Requests[index].Body).RootElement;

    private void AssertSecondRequestCarriesTheRoundTrip()
    {
        var messages = UpstreamBody(1).GetProperty("messages");
        Assert.Equal(4, messages.GetArrayLength());
        var assistant = messages[1];
        Assert.Equal(JsonValueKind.Null, assistant.GetProperty("content").ValueKind);
        Assert.Equal(["call_paris", "call_rome"], assistant.GetProperty("tool_calls").EnumerateArray().Select(c => c.GetProperty("id").GetString()));
        Assert.Equal("{\"city\":\"Paris\"}", assistant.GetProperty("tool_calls")[0].GetProperty("function").GetProperty("arguments").GetString());
        Assert.Equal("call_paris", messages[2].GetProperty("tool_call_id").GetString());
        Assert.Equal("sunny", messages[2].GetProperty("content").GetString());
        Assert.Equal("call_rome", messages[3].GetProperty("tool_call_id").GetString());
    }

    [Fact]
    public async Task CompleteChat_OfficialClient_RunsAToolRoundTrip()
    {
        var chat = await StartChatClientAsync();
        Upstream.Behavior = new UpstreamBehavior { ToolCalls = ParallelCalls, Chunks = ["Sunny in Paris, rain in Rome."] };
        List<ChatMessage> messages = [new UserChatMessage("Weather in Paris and Rome?")];
        var options = new ChatCompletionOptions { Tools = { Weather } };

        ChatCompletion first = await chat.CompleteChatAsync(messages, options);

        Assert.Equal(ChatFinishReason.ToolCalls, first.FinishReason);
        Assert.Empty(first.Content);
        Assert.Equal(["call_paris", "call_rome"], first.ToolCalls.Select(c => c.Id));
        Assert.Equal("get_weather", first.ToolCalls[0].FunctionName);
        Assert.Equal("{\"city\":\"Paris\"}", first.ToolCalls[0].FunctionArguments.ToString());
        var tool = UpstreamBody(0).GetProperty("tools")[0];
        Assert.Equal("get_weather", tool.GetProperty("function").GetProperty("name").GetString());
        Assert.Equal("string", tool.GetProperty("function").GetProperty("parameters").GetProperty("properties").GetProperty("city").GetProperty("type").GetString());

        messages.Add(new AssistantChatMessage(first));
        messages.Add(new ToolChatMessage("call_paris", "sunny"));
        messages.Add(new ToolChatMessage("call_rome", "rain"));
        ChatCompletion second = await chat.CompleteChatAsync(messages, options);

        Assert.Equal(ChatFinishReason.Stop, second.FinishReason);
        Assert.Equal("Sunny in Paris, rain in Rome.", second.Content[0].Text);
        AssertSecondRequestCarriesTheRoundTrip();
    }

    [Fact]
    public async Task CompleteChatStreaming_OfficialClient_PutsTheCallsTogetherAndRunsTheRoundTrip()
    {
        var chat = await StartChatClientAsync();
        Upstream.Behavior = new UpstreamBehavior { ToolCalls = ParallelCalls, InterleaveToolCalls = true, Chunks = ["Sunny", " and rain."] };
        List<ChatMessage> messages = [new UserChatMessage("Weather in Paris and Rome?")];
        var options = new ChatCompletionOptions { Tools = { Weather }, AllowParallelToolCalls = true };

        var ids = new Dictionary<int, string>();
        var names = new Dictionary<int, string>();
        var arguments = new Dictionary<int, StringBuilder>();
        ChatFinishReason? finish = null;
        await foreach (var update in chat.CompleteChatStreamingAsync(messages, options))
        {
            foreach (var call in update.ToolCallUpdates)
            {
                if (call.ToolCallId is { } id)
                {
                    ids[call.Index] = id;
                }

                if (call.FunctionName is { } name)
                {
                    names[call.Index] = name;
                }

                if (!arguments.TryGetValue(call.Index, out var text))
                {
                    arguments[call.Index] = text = new StringBuilder();
                }

                text.Append(call.FunctionArgumentsUpdate?.ToString());
            }

            finish ??= update.FinishReason;
        }

        Assert.Equal(ChatFinishReason.ToolCalls, finish);
        Assert.Equal(["call_paris", "call_rome"], ids.OrderBy(p => p.Key).Select(p => p.Value));
        Assert.All(names.Values, name => Assert.Equal("get_weather", name));
        Assert.Equal("{\"city\":\"Paris\"}", arguments[0].ToString());
        Assert.Equal("{\"city\":\"Rome\"}", arguments[1].ToString());
        Assert.True(UpstreamBody(0).GetProperty("parallel_tool_calls").GetBoolean());

        messages.Add(new AssistantChatMessage(
            ids.OrderBy(p => p.Key).Select(p => ChatToolCall.CreateFunctionToolCall(p.Value, names[p.Key], BinaryData.FromString(arguments[p.Key].ToString())))));
        messages.Add(new ToolChatMessage("call_paris", "sunny"));
        messages.Add(new ToolChatMessage("call_rome", "rain"));
        var text2 = new StringBuilder();
        await foreach (var update in chat.CompleteChatStreamingAsync(messages, options))
        {
            foreach (var part in update.ContentUpdate)
            {
                text2.Append(part.Text);
            }
        }

        Assert.Equal("Sunny and rain.", text2.ToString());
        AssertSecondRequestCarriesTheRoundTrip();
    }

    [Fact]
    public async Task Stream_RawWire_ToolCallsAreRelayedPieceByPieceAsTheUpstreamSentThem()
    {
        var gateway = await StartGatewayAsync(("MODEL_ROUTE_MAIN", OpenAIRoute()));
        Upstream.Behavior = new UpstreamBehavior { ToolCalls = ParallelCalls };

        using var response = await gateway.Client.PostAsync("v1/chat/completions", Json("""
            {"model":"main","stream":true,"messages":[{"role":"user","content":"Weather?"}],
             "tools":[{"type":"function","function":{"name":"get_weather","parameters":{"type":"object"}}}]}
            """));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var events = await SseReader.ReadAllAsync(response);
        Assert.Equal("[DONE]", events[^1].Data);
        var choices = events.SkipLast(1).Select(e => JsonDocument.Parse(e.Data).RootElement.GetProperty("choices")[0]).ToList();

        // Each call's opening piece (index, id, type, name, empty arguments), then each argument fragment as it came.
        Assert.Equal(8, choices.Count);
        var start = choices[0].GetProperty("delta");
        Assert.Equal("assistant", start.GetProperty("role").GetString());
        Assert.Equal(JsonValueKind.Null, start.GetProperty("content").ValueKind);
        var opened = start.GetProperty("tool_calls")[0];
        Assert.Equal(0, opened.GetProperty("index").GetInt32());
        Assert.Equal("call_paris", opened.GetProperty("id").GetString());
        Assert.Equal("function", opened.GetProperty("type").GetString());
        Assert.Equal("get_weather", opened.GetProperty("function").GetProperty("name").GetString());
        Assert.Equal(string.Empty, opened.GetProperty("function").GetProperty("arguments").GetString());

        var pieces = choices.Take(7).Select(c => c.GetProperty("delta").GetProperty("tool_calls")[0]).ToList();
        Assert.Equal([0, 0, 0, 0, 1, 1, 1], pieces.Select(p => p.GetProperty("index").GetInt32()));
        Assert.Equal(
            ["", "{\"ci", "ty\":\"Pa", "ris\"}", "", "{\"city\":", "\"Rome\"}"],
            pieces.Select(p => p.GetProperty("function").GetProperty("arguments").GetString()));
        Assert.Equal(["call_paris", "call_rome"], pieces.Where(p => p.TryGetProperty("id", out _)).Select(p => p.GetProperty("id").GetString()));
        Assert.All(pieces.Where(p => !p.TryGetProperty("id", out _)), p => Assert.False(p.GetProperty("function").TryGetProperty("name", out _)));
        Assert.Equal("tool_calls", choices[7].GetProperty("finish_reason").GetString());
    }

    [Fact]
    public async Task ChatStream_WithStorage_StoresTheWholeCallsWhilePiecesWereRelayed()
    {
        var gateway = await StartGatewayWithStorageAsync();
        Upstream.Behavior = new UpstreamBehavior { ToolCalls = ParallelCalls, InterleaveToolCalls = true };

        using var response = await gateway.Client.PostAsync("api/chat/stream", Json(HelloMessages));
        var events = await SseReader.ReadAllAsync(response);

        var conversationId = JsonDocument.Parse(Assert.Single(events, e => e.Name == "done").Data).RootElement.GetProperty("conversationId").GetString();
        using var messages = JsonDocument.Parse(await gateway.Client.GetStringAsync($"api/conversations/{conversationId}/messages"));
        var reply = messages.RootElement.GetProperty("items").EnumerateArray().Last();
        var calls = reply.GetProperty("toolCalls").EnumerateArray().ToList();
        Assert.Equal(["call_paris", "call_rome"], calls.Select(c => c.GetProperty("id").GetString()));
        Assert.Equal("{\"city\":\"Paris\"}", calls[0].GetProperty("arguments").GetRawText());
        Assert.Equal("{\"city\":\"Rome\"}", calls[1].GetProperty("arguments").GetRawText());
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Chat_MalformedArgumentsFromTheModel_AreRelayedAsWritten(bool stream)
    {
        var gateway = await StartGatewayAsync(("MODEL_ROUTE_MAIN", OpenAIRoute()));
        Upstream.Behavior = new UpstreamBehavior { ToolCalls = [new("call_1", "get_weather", ["{\"city\": ", "Par"])] };

        using var response = await gateway.Client.PostAsync("v1/chat/completions", Json($$"""
            {"model":"main","stream":{{(stream ? "true" : "false")}},"messages":[{"role":"user","content":"Weather?"}]}
            """));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        string arguments;
        if (stream)
        {
            var events = await SseReader.ReadAllAsync(response);
            arguments = string.Concat(events.SkipLast(1)
                .Select(e => JsonDocument.Parse(e.Data).RootElement.GetProperty("choices")[0].GetProperty("delta"))
                .Where(d => d.TryGetProperty("tool_calls", out _))
                .Select(d => d.GetProperty("tool_calls")[0].GetProperty("function").GetProperty("arguments").GetString()));
        }
        else
        {
            var message = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("choices")[0].GetProperty("message");
            Assert.Equal(JsonValueKind.Null, message.GetProperty("content").ValueKind);
            arguments = message.GetProperty("tool_calls")[0].GetProperty("function").GetProperty("arguments").GetString()!;
        }

        Assert.Equal("{\"city\": Par", arguments);
    }

    [Theory]
    [InlineData("\"auto\"", "\"auto\"")]
    [InlineData("\"none\"", "\"none\"")]
    [InlineData("\"required\"", "\"required\"")]
    [InlineData("""{"type":"function","function":{"name":"get_weather"}}""", """{"type":"function","function":{"name":"get_weather"}}""")]
    public async Task Chat_ToolChoiceAndParallelToolCalls_AreForwarded(string toolChoice, string forwarded)
    {
        var gateway = await StartGatewayAsync(("MODEL_ROUTE_MAIN", OpenAIRoute()));

        using var response = await gateway.Client.PostAsync("v1/chat/completions", Json($$$"""
            {"model":"main","messages":[{"role":"user","content":"Weather?"}],"tool_choice":{{{toolChoice}}},"parallel_tool_calls":false,
             "tools":[{"type":"function","function":{"name":"get_weather","description":"Weather.","parameters":{"type":"object","properties":{}},"strict":true}}]}
            """));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = UpstreamBody(0);
        Assert.Equal(forwarded, body.GetProperty("tool_choice").GetRawText());
        Assert.False(body.GetProperty("parallel_tool_calls").GetBoolean());
        Assert.Equal(
            """{"type":"function","function":{"name":"get_weather","description":"Weather.","parameters":{"type":"object","properties":{}},"strict":true}}""",
            body.GetProperty("tools")[0].GetRawText());
    }

    [Fact]
    public async Task Chat_ClientArgumentsInHistory_AreForwardedByteForByte()
    {
        var gateway = await StartGatewayAsync(("MODEL_ROUTE_MAIN", OpenAIRoute()));

        using var response = await gateway.Client.PostAsync("v1/chat/completions", Json("""
            {"model":"main","messages":[
              {"role":"user","content":"Weather?"},
              {"role":"assistant","content":null,"tool_calls":[{"id":"call_1","type":"function","function":{"name":"get_weather","arguments":"{ \"city\" :\"Paris\" }"}}]},
              {"role":"tool","tool_call_id":"call_1","content":[{"type":"text","text":"sunny"}]}]}
            """));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var messages = UpstreamBody(0).GetProperty("messages");
        Assert.Equal("{ \"city\" :\"Paris\" }", messages[1].GetProperty("tool_calls")[0].GetProperty("function").GetProperty("arguments").GetString());
        Assert.Equal("sunny", messages[2].GetProperty("content").GetString());
    }

    [Theory]
    [InlineData("""{"model":"main","messages":[{"role":"user","content":"Hi"}],"tools":[{"type":"retrieval"}]}""", "tools[0].type")]
    [InlineData("""{"model":"main","messages":[{"role":"user","content":"Hi"}],"tools":[{"type":"function"}]}""", "tools[0].function")]
    [InlineData("""{"model":"main","messages":[{"role":"user","content":"Hi"}],"tools":[{"type":"function","function":{"description":"x"}}]}""", "tools[0].function.name")]
    [InlineData("""{"model":"main","messages":[{"role":"user","content":"Hi"}],"tools":[{"type":"function","function":{"name":"f","parameters":[1]}}]}""", "tools[0].function.parameters")]
    [InlineData("""{"model":"main","messages":[{"role":"user","content":"Hi"}],"tool_choice":"always"}""", "tool_choice")]
    [InlineData("""{"model":"main","messages":[{"role":"user","content":"Hi"}],"tool_choice":{"type":"function","function":{}}}""", "tool_choice.function.name")]
    [InlineData("""{"model":"main","messages":[{"role":"user","content":"Hi"},{"role":"tool","content":"x"}]}""", "messages[1].tool_call_id")]
    [InlineData("""{"model":"main","messages":[{"role":"assistant","content":null,"tool_calls":[{"type":"function","function":{"name":"f","arguments":"{}"}}]}]}""", "messages[0].tool_calls[0].id")]
    [InlineData("""{"model":"main","messages":[{"role":"assistant","content":null,"tool_calls":[{"id":"c","type":"function","function":{"arguments":"{}"}}]}]}""", "messages[0].tool_calls[0].function.name")]
    [InlineData("""{"model":"main","messages":[{"role":"user","content":"Hi","tool_calls":[{"id":"c","type":"function","function":{"name":"f"}}]}]}""", "messages[0].tool_calls")]
    [InlineData("""{"model":"main","messages":[{"role":"assistant","content":null}]}""", "messages[0].content")]
    public async Task Chat_InvalidToolFields_Answer400NamingTheV1Field(string body, string field)
    {
        var gateway = await StartGatewayAsync(("MODEL_ROUTE_MAIN", OpenAIRoute()));

        using var response = await gateway.Client.PostAsync("v1/chat/completions", Json(body));

        var problem = await AssertProblemAsync(response, HttpStatusCode.BadRequest, "invalid_request");
        Assert.Equal(field, problem.GetProperty("field").GetString());
        Assert.StartsWith(field + ":", problem.GetProperty("error").GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Empty(Upstream.Requests);
    }

    [Theory]
    [InlineData("v1/chat/completions", "\"tool_choice\":\"required\"")]
    [InlineData("v1/chat/completions", "\"tool_choice\":{\"type\":\"function\",\"function\":{\"name\":\"get_weather\"}}")]
    [InlineData("api/chat", "\"toolChoice\":\"required\"")]
    [InlineData("api/chat", "\"toolChoice\":{\"name\":\"get_weather\"}")]
    public async Task Chat_OllamaRouteToolChoiceThatRequiresACall_Answers400UnsupportedParameterNamingToolChoice(string path, string toolChoice)
    {
        var gateway = await StartGatewayAsync(("MODEL_ROUTE_MAIN", OllamaRoute()));
        var (route, tools) = path.StartsWith("v1", StringComparison.Ordinal)
            ? ("\"model\":\"main\"", """[{"type":"function","function":{"name":"get_weather","parameters":{"type":"object"}}}]""")
            : ("\"modelKey\":\"main\"", """[{"name":"get_weather","parameters":{"type":"object"}}]""");

        using var response = await gateway.Client.PostAsync(path, Json(
            $$"""{{{route}},"messages":[{"role":"user","content":"Weather?"}],"tools":{{tools}},{{toolChoice}}}"""));

        var problem = await AssertProblemAsync(response, HttpStatusCode.BadRequest, "unsupported_parameter");
        var (param, message) = problem.TryGetProperty("error", out var error)
            ? (error.GetProperty("param").GetString(), error.GetProperty("message").GetString())
            : (problem.GetProperty("param").GetString(), problem.GetProperty("detail").GetString());
        Assert.Equal("tool_choice", param);
        Assert.StartsWith("tool_choice: the route 'main' (ollama) cannot honour", message, StringComparison.Ordinal);
        Assert.Empty(Upstream.Requests);
    }

    [Fact]
    public async Task ChatStream_GatewayApi_SendsAToolCallEventPerCall()
    {
        var gateway = await StartGatewayAsync(("MODEL_ROUTE_MAIN", OpenAIRoute()));
        Upstream.Behavior = new UpstreamBehavior { ToolCalls = ParallelCalls };

        using var response = await gateway.Client.PostAsync("api/chat/stream", Json(HelloMessages));

        var events = await SseReader.ReadAllAsync(response);
        var calls = events.Where(e => e.Name == "tool_call").Select(e => JsonDocument.Parse(e.Data).RootElement).ToList();
        Assert.Equal(2, calls.Count);
        Assert.Equal("call_paris", calls[0].GetProperty("id").GetString());
        Assert.Equal("get_weather", calls[0].GetProperty("name").GetString());
        // The gateway's own API gives the arguments as the JSON object the model wrote.
        Assert.Equal("{\"city\":\"Paris\"}", calls[0].GetProperty("arguments").GetRawText());
        Assert.Equal("call_rome", calls[1].GetProperty("id").GetString());
        var done = Assert.Single(events, e => e.Name == "done");
        Assert.Equal("tool_calls", JsonDocument.Parse(done.Data).RootElement.GetProperty("finishReason").GetString());
    }
}
