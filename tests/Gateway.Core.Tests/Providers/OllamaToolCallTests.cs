using System.Text.Json;
using Gateway.Core.Chat;
using Gateway.TestUpstream;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Core.Tests.Providers;

/// <summary>The <c>ollama</c> provider's tools both ways: Ollama's native <c>tools</c> and <c>message.tool_calls</c>, against the test upstream.</summary>
public sealed class OllamaToolCallTests : IAsyncLifetime
{
    private static readonly ChatMessage[] Question = [new(ChatRole.User, "Weather in Paris?")];

    private static readonly AIFunctionDeclaration Weather = AIFunctionFactory.CreateDeclaration(
        "get_weather",
        "The current weather in a city.",
        JsonDocument.Parse("""{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}""").RootElement);

    private static readonly UpstreamBehavior CallsWeather = new()
    {
        Chunks = [],
        ToolCalls = [new UpstreamToolCall("ignored", "get_weather", """{"city":"Paris"}"""), new UpstreamToolCall("ignored", "get_weather", """{"city":"Lyon"}""")],
    };

    private TestUpstreamServer _upstream = null!;
    private ServiceProvider _services = null!;
    private IChatClient _client = null!;

    public async Task InitializeAsync()
    {
        _upstream = await TestUpstreamServer.StartAsync();
        _services = GatewayServices.Build(("MODEL_ROUTE_MAIN", $"ollama|{_upstream.BaseAddress}|test-model"));
        var chat = _services.GetRequiredService<ChatService>();
        _client = chat.GetClient(chat.Router.Resolve("main"));
    }

    public async Task DisposeAsync()
    {
        await _services.DisposeAsync();
        await _upstream.DisposeAsync();
    }

    private JsonElement SentBody(int index = 0) => JsonDocument.Parse(_upstream.Requests[index].Body).RootElement;

    [Fact]
    public async Task Complete_FunctionTool_IsSentAsOllamasTools()
    {
        await _client.GetResponseAsync(Question, new ChatOptions { Tools = [Weather], ToolMode = ChatToolMode.Auto });

        var tool = Assert.Single(SentBody().GetProperty("tools").EnumerateArray());
        Assert.Equal("function", tool.GetProperty("type").GetString());
        var function = tool.GetProperty("function");
        Assert.Equal("get_weather", function.GetProperty("name").GetString());
        Assert.Equal("The current weather in a city.", function.GetProperty("description").GetString());
        Assert.Equal("""{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}""", function.GetProperty("parameters").GetRawText());
    }

    [Fact]
    public async Task Complete_ToolModeNone_SendsNoTools()
    {
        await _client.GetResponseAsync(Question, new ChatOptions { Tools = [Weather], ToolMode = ChatToolMode.None });

        Assert.False(SentBody().TryGetProperty("tools", out _));
    }

    [Fact]
    public async Task Complete_AnswerWithToolCalls_IsFunctionCallsWithGeneratedIdsAndToolCallsFinish()
    {
        _upstream.Behavior = CallsWeather;

        var response = await _client.GetResponseAsync(Question, new ChatOptions { Tools = [Weather] });

        AssertCallsWeather(response);
    }

    [Fact]
    public async Task Stream_AnswerWithToolCalls_IsFunctionCallsWithGeneratedIdsAndToolCallsFinish()
    {
        _upstream.Behavior = CallsWeather;

        var updates = new List<ChatResponseUpdate>();
        await foreach (var update in _client.GetStreamingResponseAsync(Question, new ChatOptions { Tools = [Weather] }))
        {
            updates.Add(update);
        }

        var response = updates.ToChatResponse();
        AssertCallsWeather(response);
        Assert.Equal(7, response.Usage?.InputTokenCount);
    }

    [Fact]
    public async Task Complete_ToolRoundTrip_SendsToolCallsAsObjectsAndResultsWithTheirToolName()
    {
        _upstream.Behavior = CallsWeather;
        var first = await _client.GetResponseAsync(Question, new ChatOptions { Tools = [Weather] });
        var calls = first.Messages.Single().Contents.OfType<FunctionCallContent>().ToList();
        _upstream.Behavior = new UpstreamBehavior { Chunks = ["Sunny in both."] };
        List<ChatMessage> history =
        [
            .. Question,
            .. first.Messages,
            new(ChatRole.Tool, [new FunctionResultContent(calls[0].CallId, "18 °C"), new FunctionResultContent(calls[1].CallId, new { celsius = 21 })]),
        ];

        var second = await _client.GetResponseAsync(history, new ChatOptions { Tools = [Weather] });

        Assert.Equal("Sunny in both.", second.Text);
        Assert.Equal(ChatFinishReason.Stop, second.FinishReason);
        var sent = SentBody(1).GetProperty("messages");
        Assert.Equal(4, sent.GetArrayLength());
        var assistant = sent[1];
        Assert.Equal("assistant", assistant.GetProperty("role").GetString());
        Assert.Equal(string.Empty, assistant.GetProperty("content").GetString());
        var sentCalls = assistant.GetProperty("tool_calls");
        Assert.Equal("get_weather", sentCalls[0].GetProperty("function").GetProperty("name").GetString());
        Assert.Equal("""{"city":"Paris"}""", sentCalls[0].GetProperty("function").GetProperty("arguments").GetRawText());
        Assert.Equal("""{"city":"Lyon"}""", sentCalls[1].GetProperty("function").GetProperty("arguments").GetRawText());
        Assert.Equal(("tool", "18 °C", "get_weather"), (sent[2].GetProperty("role").GetString(), sent[2].GetProperty("content").GetString(), sent[2].GetProperty("tool_name").GetString()));
        Assert.Equal(("tool", """{"celsius":21}""", "get_weather"), (sent[3].GetProperty("role").GetString(), sent[3].GetProperty("content").GetString(), sent[3].GetProperty("tool_name").GetString()));
    }

    private static void AssertCallsWeather(ChatResponse response)
    {
        Assert.Equal(ChatFinishReason.ToolCalls, response.FinishReason);
        var calls = response.Messages.SelectMany(m => m.Contents).OfType<FunctionCallContent>().ToList();
        Assert.Equal(["call_0", "call_1"], calls.Select(c => c.CallId));
        Assert.All(calls, call => Assert.Equal("get_weather", call.Name));
        Assert.Equal(["Paris", "Lyon"], calls.Select(c => ((JsonElement)c.Arguments!["city"]!).GetString()));
    }
}
