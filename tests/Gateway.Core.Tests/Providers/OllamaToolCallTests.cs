using System.Text.Json;
using Gateway.TestUpstream;
using Microsoft.Extensions.AI;

namespace Gateway.Core.Tests.Providers;

/// <summary>The <c>ollama</c> provider's tools both ways: Ollama's native <c>tools</c> and <c>message.tool_calls</c>, against the test upstream.</summary>
public sealed class OllamaToolCallTests() : ProviderToolCallTests("ollama")
{
    private static readonly ChatMessage[] Question = [new(ChatRole.User, "Weather in Paris?")];

    private static readonly UpstreamBehavior CallsWeather = new()
    {
        Chunks = [],
        ToolCalls = [new UpstreamToolCall("ignored", "get_weather", """{"city":"Paris"}"""), new UpstreamToolCall("ignored", "get_weather", """{"city":"Lyon"}""")],
    };

    [Fact]
    public async Task Complete_FunctionTool_IsSentAsOllamasTools()
    {
        await Client.GetResponseAsync(Question, new ChatOptions { Tools = [Weather], ToolMode = ChatToolMode.Auto });

        AssertWeatherTool(Assert.Single(SentBody().GetProperty("tools").EnumerateArray()));
    }

    [Fact]
    public async Task Complete_ToolModeNone_SendsNoTools()
    {
        await Client.GetResponseAsync(Question, new ChatOptions { Tools = [Weather], ToolMode = ChatToolMode.None });

        Assert.False(SentBody().TryGetProperty("tools", out _));
    }

    [Fact]
    public async Task Complete_AnswerWithToolCalls_IsFunctionCallsWithGeneratedIdsAndToolCallsFinish()
    {
        Upstream.Behavior = CallsWeather;

        var response = await Client.GetResponseAsync(Question, new ChatOptions { Tools = [Weather] });

        AssertCallsWeather(response);
    }

    [Fact]
    public async Task Stream_AnswerWithToolCalls_IsFunctionCallsWithGeneratedIdsAndToolCallsFinish()
    {
        Upstream.Behavior = CallsWeather;

        var response = (await CollectAsync(Client.GetStreamingResponseAsync(Question, new ChatOptions { Tools = [Weather] }))).ToChatResponse();
        AssertCallsWeather(response);
        Assert.Equal(7, response.Usage?.InputTokenCount);
    }

    [Fact]
    public async Task Complete_ToolRoundTrip_SendsToolCallsAsObjectsAndResultsWithTheirToolName()
    {
        Upstream.Behavior = CallsWeather;
        var first = await Client.GetResponseAsync(Question, new ChatOptions { Tools = [Weather] });
        var calls = first.Messages.Single().Contents.OfType<FunctionCallContent>().ToList();
        Upstream.Behavior = new UpstreamBehavior { Chunks = ["Sunny in both."] };
        List<ChatMessage> history =
        [
            .. Question,
            .. first.Messages,
            new(ChatRole.Tool, [new FunctionResultContent(calls[0].CallId, "18 °C"), new FunctionResultContent(calls[1].CallId, new { celsius = 21 })]),
        ];

        var second = await Client.GetResponseAsync(history, new ChatOptions { Tools = [Weather] });

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
