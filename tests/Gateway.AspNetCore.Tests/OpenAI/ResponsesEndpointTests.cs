using System.ClientModel;
using System.Net;
using System.Text.Json;
using Gateway.AspNetCore.Tests.Infrastructure;
using Gateway.TestUpstream;
using OpenAI;
using OpenAI.Responses;

#pragma warning disable OPENAI001 // The OpenAI client marks its Responses API experimental.

namespace Gateway.AspNetCore.Tests.OpenAI;

/// <summary>POST /v1/responses with the official OpenAI .NET client's Responses API and on the raw wire.</summary>
public sealed class ResponsesEndpointTests : GatewayFixture
{
    [Fact]
    public async Task CreateResponse_OfficialClient_GetsTextAndUsage()
    {
        var gateway = await StartGatewayAsync(("MODEL_ROUTE_MAIN", OpenAIRoute()));
        Upstream.Behavior = new UpstreamBehavior { Chunks = ["Hi", " there"], PromptTokens = 5, CompletionTokens = 2 };

        ResponseResult response = await ClientOf(gateway).CreateResponseAsync(Input("Hello"));

        Assert.Equal("Hi there", response.GetOutputText());
        Assert.StartsWith("resp_", response.Id, StringComparison.Ordinal);
        Assert.Equal(ResponseStatus.Completed, response.Status);
        Assert.Equal(5, response.Usage.InputTokenCount);
        Assert.Equal(2, response.Usage.OutputTokenCount);
        Assert.Equal(7, response.Usage.TotalTokenCount);
    }

    [Fact]
    public async Task CreateResponseStreaming_OfficialClient_GetsDeltasAndCompletedResponse()
    {
        var gateway = await StartGatewayAsync(("MODEL_ROUTE_MAIN", OpenAIRoute()));
        Upstream.Behavior = new UpstreamBehavior { Chunks = ["a", "b", "c"], PromptTokens = 9, CompletionTokens = 3 };

        var text = new System.Text.StringBuilder();
        ResponseResult? completed = null;
        await foreach (var update in await ClientOf(gateway).CreateResponseStreamingAsync(Input("Hello", streaming: true)))
        {
            switch (update)
            {
                case StreamingResponseOutputTextDeltaUpdate delta:
                    text.Append(delta.Delta);
                    break;
                case StreamingResponseCompletedUpdate done:
                    completed = done.Response;
                    break;
            }
        }

        Assert.Equal("abc", text.ToString());
        Assert.NotNull(completed);
        Assert.Equal("abc", completed.GetOutputText());
        Assert.Equal(9, completed.Usage.InputTokenCount);
        Assert.Equal(3, completed.Usage.OutputTokenCount);
    }

    [Fact]
    public async Task Stream_RawWire_IsTypedEventsInSequence()
    {
        var gateway = await StartGatewayAsync(("MODEL_ROUTE_MAIN", OpenAIRoute()));
        Upstream.Behavior = new UpstreamBehavior { Chunks = ["x", "y"] };

        using var response = await gateway.Client.PostAsync("v1/responses", Json("""{"model":"main","input":"Hi","stream":true}"""));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var events = await SseReader.ReadAllAsync(response);
        Assert.Equal(
            [
                "response.created", "response.in_progress", "response.output_item.added", "response.content_part.added",
                "response.output_text.delta", "response.output_text.delta", "response.output_text.done", "response.content_part.done",
                "response.output_item.done", "response.completed",
            ],
            events.Select(e => e.Name));
        var data = events.Select(e => JsonDocument.Parse(e.Data).RootElement).ToList();
        Assert.Equal(Enumerable.Range(0, events.Count), data.Select(d => d.GetProperty("sequence_number").GetInt32()));
        Assert.All(data.Zip(events), pair => Assert.Equal(pair.Second.Name, pair.First.GetProperty("type").GetString()));
        var id = data[0].GetProperty("response").GetProperty("id").GetString();
        Assert.Equal(id, data[^1].GetProperty("response").GetProperty("id").GetString());
        Assert.Equal("completed", data[^1].GetProperty("response").GetProperty("status").GetString());
        Assert.Equal("xy", data[6].GetProperty("text").GetString());
        var itemId = data[2].GetProperty("item").GetProperty("id").GetString();
        Assert.Equal(itemId, data[4].GetProperty("item_id").GetString());
    }

    [Fact]
    public async Task Stream_UpstreamBreaksAfterStart_EndsWithResponseFailed()
    {
        var gateway = await StartGatewayAsync(("MODEL_ROUTE_MAIN", OpenAIRoute()));
        Upstream.Behavior = new UpstreamBehavior { Chunks = ["x", "y", "z"], BreakAfterChunks = 1 };

        using var response = await gateway.Client.PostAsync("v1/responses", Json("""{"model":"main","input":"Hi","stream":true}"""));

        var events = await SseReader.ReadAllAsync(response);
        Assert.Equal("response.failed", events[^1].Name);
        var failed = JsonDocument.Parse(events[^1].Data).RootElement.GetProperty("response");
        Assert.Equal("failed", failed.GetProperty("status").GetString());
        Assert.Equal("upstream_unavailable", failed.GetProperty("error").GetProperty("code").GetString());
        Assert.DoesNotContain(events, e => e.Name == "response.completed");
    }

    [Fact]
    public async Task Create_InstructionsAndItems_ReachTheUpstreamAsMessages()
    {
        var gateway = await StartGatewayAsync(("MODEL_ROUTE_MAIN", OpenAIRoute()));

        using var response = await gateway.Client.PostAsync("v1/responses", Json("""
            {"model":"main","instructions":"Be brief.","temperature":0.5,"max_output_tokens":12,
             "input":[{"role":"user","content":[{"type":"input_text","text":"Hel"},{"type":"input_text","text":"lo"}]},
                      {"type":"message","role":"assistant","content":"Hi"},{"role":"developer","content":"Rule"},{"role":"user","content":"Again"}]}
            """));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var sent = JsonDocument.Parse(Assert.Single(Upstream.Requests).Body);
        var messages = sent.RootElement.GetProperty("messages").EnumerateArray()
            .Select(m => (m.GetProperty("role").GetString(), m.GetProperty("content").GetString())).ToList();
        Assert.Equal([("system", "Be brief."), ("user", "Hello"), ("assistant", "Hi"), ("system", "Rule"), ("user", "Again")], messages);
        Assert.Equal(0.5, sent.RootElement.GetProperty("temperature").GetDouble(), 3);
        Assert.Equal(12, sent.RootElement.GetProperty("max_tokens").GetInt32());
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal("response", body.GetProperty("object").GetString());
        Assert.Equal("message", body.GetProperty("output")[0].GetProperty("type").GetString());
        Assert.Equal("output_text", body.GetProperty("output")[0].GetProperty("content")[0].GetProperty("type").GetString());
    }

    [Fact]
    public async Task Create_FunctionTool_AnswersFunctionCallItemsAndSendsTheRoundTripBack()
    {
        var gateway = await StartGatewayAsync(("MODEL_ROUTE_MAIN", OpenAIRoute()));
        Upstream.Behavior = new UpstreamBehavior { ToolCalls = [new("call_1", "get_weather", ["{\"city\":", "\"Paris\"}"])] };
        const string Tools = """[{"type":"function","name":"get_weather","description":"Weather","parameters":{"type":"object","properties":{"city":{"type":"string"}}},"strict":true}]""";

        using var first = await gateway.Client.PostAsync("v1/responses", Json($$"""{"model":"main","input":"Weather in Paris?","tools":{{Tools}},"tool_choice":"required"}"""));

        var call = JsonDocument.Parse(await first.Content.ReadAsStringAsync()).RootElement.GetProperty("output").EnumerateArray()
            .Single(item => item.GetProperty("type").GetString() == "function_call");
        Assert.Equal("call_1", call.GetProperty("call_id").GetString());
        Assert.Equal("get_weather", call.GetProperty("name").GetString());
        Assert.Equal("{\"city\":\"Paris\"}", call.GetProperty("arguments").GetString());
        using (var sent = JsonDocument.Parse(Upstream.Requests[^1].Body))
        {
            Assert.Equal("get_weather", sent.RootElement.GetProperty("tools")[0].GetProperty("function").GetProperty("name").GetString());
            Assert.Equal("required", sent.RootElement.GetProperty("tool_choice").GetString());
        }

        Upstream.Behavior = new UpstreamBehavior { Chunks = ["Sunny"] };
        using var second = await gateway.Client.PostAsync("v1/responses", Json($$"""
            {"model":"main","tools":{{Tools}},"input":[{"role":"user","content":"Weather in Paris?"},
             {"type":"function_call","call_id":"call_1","name":"get_weather","arguments":"{\"city\":\"Paris\"}"},
             {"type":"function_call_output","call_id":"call_1","output":"sunny, 21 C"}]}
            """));

        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        using var roundTrip = JsonDocument.Parse(Upstream.Requests[^1].Body);
        var messages = roundTrip.RootElement.GetProperty("messages");
        Assert.Equal("call_1", messages[1].GetProperty("tool_calls")[0].GetProperty("id").GetString());
        Assert.Equal("tool", messages[2].GetProperty("role").GetString());
        Assert.Equal("call_1", messages[2].GetProperty("tool_call_id").GetString());
    }

    [Fact]
    public async Task CreateResponse_OfficialClientFunctionTool_RoundTripsTheCallAndItsOutput()
    {
        var gateway = await StartGatewayAsync(("MODEL_ROUTE_MAIN", OpenAIRoute()));
        Upstream.Behavior = new UpstreamBehavior { ToolCalls = [new("call_1", "get_weather", ["{\"city\":", "\"Paris\"}"])] };
        var client = ClientOf(gateway);
        var options = Input("Weather in Paris?");
        options.Tools.Add(ResponseTool.CreateFunctionTool(
            functionName: "get_weather",
            functionDescription: "The weather in a city.",
            functionParameters: BinaryData.FromString("""{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}"""),
            strictModeEnabled: false));

        ResponseResult first = await client.CreateResponseAsync(options);

        var call = Assert.IsType<FunctionCallResponseItem>(Assert.Single(first.OutputItems, item => item is FunctionCallResponseItem));
        Assert.Equal(("call_1", "get_weather", """{"city":"Paris"}"""), (call.CallId, call.FunctionName, call.FunctionArguments.ToString()));
        Upstream.Behavior = new UpstreamBehavior { Chunks = ["Sunny, 21 °C."] };
        options.InputItems.Add(call);
        options.InputItems.Add(ResponseItem.CreateFunctionCallOutputItem("call_1", "sunny, 21 C"));

        ResponseResult second = await client.CreateResponseAsync(options);

        Assert.Equal("Sunny, 21 °C.", second.GetOutputText());
        using var sent = JsonDocument.Parse(Upstream.Requests[^1].Body);
        var messages = sent.RootElement.GetProperty("messages");
        Assert.Equal(["user", "assistant", "tool"], messages.EnumerateArray().Select(m => m.GetProperty("role").GetString()));
        Assert.Equal("""{"city":"Paris"}""", messages[1].GetProperty("tool_calls")[0].GetProperty("function").GetProperty("arguments").GetString());
        Assert.Equal(("call_1", "sunny, 21 C"), (messages[2].GetProperty("tool_call_id").GetString(), messages[2].GetProperty("content").GetString()));
        Assert.Equal("get_weather", sent.RootElement.GetProperty("tools")[0].GetProperty("function").GetProperty("name").GetString());
    }

    [Fact]
    public async Task Create_TextFormatJsonSchemaAndTopP_ReachTheUpstreamAsResponseFormat()
    {
        var gateway = await StartGatewayAsync(("MODEL_ROUTE_MAIN", OpenAIRoute()));

        using var response = await gateway.Client.PostAsync("v1/responses", Json("""
            {"model":"main","input":"A city?","top_p":0.25,
             "text":{"format":{"type":"json_schema","name":"city","strict":true,"schema":{"type":"object","properties":{"name":{"type":"string"}},"required":["name"]}}}}
            """));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var sent = JsonDocument.Parse(Assert.Single(Upstream.Requests).Body);
        Assert.Equal(0.25, sent.RootElement.GetProperty("top_p").GetDouble(), 3);
        var format = sent.RootElement.GetProperty("response_format");
        Assert.Equal("json_schema", format.GetProperty("type").GetString());
        Assert.Equal("city", format.GetProperty("json_schema").GetProperty("name").GetString());
        Assert.True(format.GetProperty("json_schema").GetProperty("strict").GetBoolean());
        Assert.Equal("string", format.GetProperty("json_schema").GetProperty("schema").GetProperty("properties").GetProperty("name").GetProperty("type").GetString());
    }

    [Fact]
    public async Task Stream_FunctionCall_IsAnItemWithArgumentEvents()
    {
        var gateway = await StartGatewayAsync(("MODEL_ROUTE_MAIN", OpenAIRoute()));
        Upstream.Behavior = new UpstreamBehavior { ToolCalls = [new("call_1", "get_weather", ["{\"city\":", "\"Paris\"}"])] };

        using var response = await gateway.Client.PostAsync("v1/responses", Json("""
            {"model":"main","input":"Weather?","stream":true,"tools":[{"type":"function","name":"get_weather","parameters":{"type":"object"}}]}
            """));

        var events = await SseReader.ReadAllAsync(response);
        Assert.Equal(
            ["response.created", "response.in_progress", "response.output_item.added", "response.function_call_arguments.delta",
             "response.function_call_arguments.done", "response.output_item.done", "response.completed"],
            events.Select(e => e.Name));
        var done = JsonDocument.Parse(events[4].Data).RootElement;
        Assert.Equal("{\"city\":\"Paris\"}", done.GetProperty("arguments").GetString());
        var completed = JsonDocument.Parse(events[^1].Data).RootElement.GetProperty("response");
        Assert.Equal("call_1", completed.GetProperty("output")[0].GetProperty("call_id").GetString());
    }

    [Theory]
    [InlineData("""{"model":"main","input":"Hi","temperature":3}""", "temperature")]
    [InlineData("""{"model":"main","input":"Hi","max_output_tokens":0}""", "max_output_tokens")]
    [InlineData("""{"model":"main"}""", "input")]
    [InlineData("""{"model":"main","input":[{"role":"robot","content":"Hi"}]}""", "input[0].role")]
    [InlineData("""{"model":"main","input":[{"type":"reasoning"}]}""", "input[0].type")]
    [InlineData("""{"model":"main","input":"Hi","tool_choice":"sometimes"}""", "tool_choice")]
    [InlineData("""{"model":"main","input":"Hi","previous_response_id":"resp_1"}""", "previous_response_id")]
    public async Task Create_InvalidField_Answers400NamingTheResponsesField(string body, string param)
    {
        var gateway = await StartGatewayAsync(("MODEL_ROUTE_MAIN", OpenAIRoute()));

        using var response = await gateway.Client.PostAsync("v1/responses", Json(body));

        var error = await OpenAIErrorEnvelopeTests.AssertOpenAIErrorAsync(response, HttpStatusCode.BadRequest, "invalid_request", "invalid_request_error");
        Assert.Equal(param, error.GetProperty("param").GetString());
        Assert.Empty(Upstream.Requests);
    }

    [Fact]
    public async Task PreviousResponseId_WithStorage_ContinuesTheStoredConversation()
    {
        var gateway = await StartGatewayWithStorageAsync();
        Upstream.Behavior = new UpstreamBehavior { Chunks = ["Paris"] };
        var client = ClientOf(gateway);

        ResponseResult first = await client.CreateResponseAsync(Input("Capital of France?"));
        Upstream.ClearRequests();
        using var second = await gateway.Client.PostAsync("v1/responses", Json(
            $$"""{"model":"main","input":"And of Italy?","previous_response_id":"{{first.Id}}"}"""));

        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        using var sent = JsonDocument.Parse(Assert.Single(Upstream.Requests).Body);
        Assert.Equal(
            ["Capital of France?", "Paris", "And of Italy?"],
            sent.RootElement.GetProperty("messages").EnumerateArray().Select(m => m.GetProperty("content").GetString()));
        var body = JsonDocument.Parse(await second.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(first.Id, body.GetProperty("previous_response_id").GetString());
        Assert.NotEqual(first.Id, body.GetProperty("id").GetString());
        Assert.True(body.GetProperty("store").GetBoolean());
    }

    [Fact]
    public async Task PreviousResponseId_NotStored_Answers400NamingIt()
    {
        var gateway = await StartGatewayWithStorageAsync();
        using var first = await gateway.Client.PostAsync("v1/responses", Json("""{"model":"main","input":"Hi","store":false}"""));
        var id = JsonDocument.Parse(await first.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetString();

        using var response = await gateway.Client.PostAsync("v1/responses", Json($$"""{"model":"main","input":"Hi","previous_response_id":"{{id}}"}"""));

        var error = await OpenAIErrorEnvelopeTests.AssertOpenAIErrorAsync(response, HttpStatusCode.BadRequest, "invalid_request", "invalid_request_error");
        Assert.Equal("previous_response_id", error.GetProperty("param").GetString());
        Assert.Contains("not stored", error.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task PreviousResponseId_UnknownConversation_Answers404NamingIt()
    {
        var gateway = await StartGatewayWithStorageAsync();

        using var response = await gateway.Client.PostAsync("v1/responses", Json(
            """{"model":"main","input":"Hi","previous_response_id":"resp_0190a000-0000-7000-8000-000000000000_0190a000-0000-7000-8000-000000000001"}"""));

        var error = await OpenAIErrorEnvelopeTests.AssertOpenAIErrorAsync(response, HttpStatusCode.NotFound, "conversation_not_found", "not_found_error");
        Assert.Equal("previous_response_id", error.GetProperty("param").GetString());
    }

    [Fact]
    public async Task GetResponse_Stored_IsRebuiltFromItsConversation()
    {
        var gateway = await StartGatewayWithStorageAsync();
        Upstream.Behavior = new UpstreamBehavior { Chunks = ["Pa", "ris"] };
        var id = await CreateStoredAsync(gateway, """{"model":"main","input":"Capital of France?"}""");

        using var response = await gateway.Client.GetAsync($"v1/responses/{id}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal((id, "response", "completed", "main"), (body.GetProperty("id").GetString(), body.GetProperty("object").GetString(), body.GetProperty("status").GetString(), body.GetProperty("model").GetString()));
        var message = Assert.Single(body.GetProperty("output").EnumerateArray());
        Assert.Equal("message", message.GetProperty("type").GetString());
        Assert.Equal("Paris", message.GetProperty("content")[0].GetProperty("text").GetString());
        Assert.Equal(7, body.GetProperty("usage").GetProperty("input_tokens").GetInt32());
        Assert.True(body.GetProperty("store").GetBoolean());
    }

    [Fact]
    public async Task GetResponse_StoredFunctionCall_HasItsFunctionCallItem()
    {
        var gateway = await StartGatewayWithStorageAsync();
        Upstream.Behavior = new UpstreamBehavior { ToolCalls = [new UpstreamToolCall("call_1", "get_weather", ["{\"city\":", "\"Oslo\"}"])] };
        var id = await CreateStoredAsync(gateway, """
            {"model":"main","input":"Weather?","tools":[{"type":"function","name":"get_weather","parameters":{"type":"object"}}]}
            """);

        using var response = await gateway.Client.GetAsync($"v1/responses/{id}");

        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        var call = Assert.Single(body.GetProperty("output").EnumerateArray(), item => item.GetProperty("type").GetString() == "function_call");
        Assert.Equal(("call_1", "get_weather", "{\"city\":\"Oslo\"}"), (call.GetProperty("call_id").GetString(), call.GetProperty("name").GetString(), call.GetProperty("arguments").GetString()));
    }

    [Fact]
    public async Task DeleteResponse_Stored_DeletesTheReplyKeepsTheInputAndTheIdAnswers404()
    {
        var gateway = await StartGatewayWithStorageAsync();
        var id = await CreateStoredAsync(gateway, """{"model":"main","input":"Hi"}""");

        using var deleted = await gateway.Client.DeleteAsync($"v1/responses/{id}");
        using var again = await gateway.Client.GetAsync($"v1/responses/{id}");

        Assert.Equal(HttpStatusCode.OK, deleted.StatusCode);
        var body = JsonDocument.Parse(await deleted.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal((id, "response", true), (body.GetProperty("id").GetString(), body.GetProperty("object").GetString(), body.GetProperty("deleted").GetBoolean()));
        await OpenAIErrorEnvelopeTests.AssertOpenAIErrorAsync(again, HttpStatusCode.NotFound, "response_not_found", "not_found_error");
        var conversationId = id.Split('_')[1];
        using var messages = JsonDocument.Parse(await gateway.Client.GetStringAsync($"api/conversations/{conversationId}/messages"));
        Assert.Equal(["user"], messages.RootElement.GetProperty("items").EnumerateArray().Select(m => m.GetProperty("role").GetString()));
    }

    [Theory]
    [InlineData("GET", "resp_nope")]
    [InlineData("GET", "resp_0190a000-0000-7000-8000-000000000000_0190a000-0000-7000-8000-000000000001")]
    [InlineData("DELETE", "resp_0190a0000000700080000000000000aa")]
    [InlineData("DELETE", "chatcmpl-1")]
    public async Task Response_UnknownId_Answers404InOpenAIsEnvelope(string method, string id)
    {
        var gateway = await StartGatewayWithStorageAsync();

        using var response = await gateway.Client.SendAsync(new HttpRequestMessage(new HttpMethod(method), $"v1/responses/{id}"));

        var error = await OpenAIErrorEnvelopeTests.AssertOpenAIErrorAsync(response, HttpStatusCode.NotFound, "response_not_found", "not_found_error");
        Assert.Contains(id, error.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetResponse_WithoutStorage_Answers404SayingWhy()
    {
        var gateway = await StartGatewayAsync(("MODEL_ROUTE_MAIN", OpenAIRoute()));

        using var response = await gateway.Client.GetAsync("v1/responses/resp_0190a000-0000-7000-8000-000000000000_0190a000-0000-7000-8000-000000000001");

        var error = await OpenAIErrorEnvelopeTests.AssertOpenAIErrorAsync(response, HttpStatusCode.NotFound, "response_not_found", "not_found_error");
        Assert.Contains("storage is not configured", error.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    private static async Task<string> CreateStoredAsync(GatewayTestHost gateway, string request)
    {
        using var created = await gateway.Client.PostAsync("v1/responses", Json(request));
        Assert.Equal(HttpStatusCode.OK, created.StatusCode);
        return JsonDocument.Parse(await created.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetString()!;
    }

    private static ResponsesClient ClientOf(GatewayTestHost gateway) =>
        new OpenAIClient(new ApiKeyCredential("unused"), new OpenAIClientOptions { Endpoint = new Uri(gateway.BaseAddress, "v1") }).GetResponsesClient();

    private static CreateResponseOptions Input(string text, bool streaming = false) =>
        new() { Model = "main", StreamingEnabled = streaming, InputItems = { ResponseItem.CreateUserMessageItem(text) } };
}
