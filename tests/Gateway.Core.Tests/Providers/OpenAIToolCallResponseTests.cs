using System.Text.Json;
using Gateway.Core.Chat;
using Gateway.TestUpstream;
using Microsoft.Extensions.AI;

namespace Gateway.Core.Tests.Providers;

/// <summary>Tool calls answered by the test upstream over real HTTP, read by the <c>openai</c> provider and run by Microsoft.Extensions.AI's function invocation.</summary>
public sealed class OpenAIToolCallResponseTests() : ProviderToolCallTests("openai")
{
    private static readonly ChatMessage[] Question = [new(ChatRole.User, "Weather in Paris and Rome?")];

    private static readonly UpstreamToolCall[] ParallelCalls =
    [
        new("call_paris", "get_weather", ["{\"ci", "ty\":\"Pa", "ris\"}"]),
        new("call_rome", "get_weather", ["{\"city\":", "\"Rome\"}"]),
    ];

    private static void AssertParallelCalls(IReadOnlyList<FunctionCallContent> calls)
    {
        Assert.Equal(["call_paris", "call_rome"], calls.Select(c => c.CallId));
        Assert.All(calls, c => Assert.Equal("get_weather", c.Name));
        Assert.Equal("Paris", ((JsonElement)calls[0].Arguments!["city"]!).GetString());
        Assert.Equal("""{"city":"Rome"}""", ToolCallJson.ArgumentsOf(calls[1]));
    }

    [Fact]
    public async Task Complete_ToolCallAnswer_IsFunctionCallsWithoutTextAndFinishReasonToolCalls()
    {
        Upstream.Behavior = new UpstreamBehavior { ToolCalls = ParallelCalls };

        var response = await Client.GetResponseAsync(Question);

        Assert.Equal(ChatFinishReason.ToolCalls, response.FinishReason);
        var message = Assert.Single(response.Messages);
        Assert.DoesNotContain(message.Contents, c => c is TextContent);
        AssertParallelCalls(message.Contents.OfType<FunctionCallContent>().ToList());
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Stream_FragmentedParallelCalls_ArriveAsOneCompleteCallEachWithTheFinish(bool interleave)
    {
        Upstream.Behavior = new UpstreamBehavior { ToolCalls = ParallelCalls, InterleaveToolCalls = interleave };

        var updates = await CollectAsync(Client.GetStreamingResponseAsync(Question));

        var withCalls = Assert.Single(updates, u => u.Contents.OfType<FunctionCallContent>().Any());
        Assert.Equal(ChatFinishReason.ToolCalls, withCalls.FinishReason);
        AssertParallelCalls(withCalls.Contents.OfType<FunctionCallContent>().ToList());
        Assert.Equal(ChatFinishReason.ToolCalls, updates.ToChatResponse().FinishReason);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Answer_MalformedArguments_KeepTheirTextAndNeverFail(bool stream)
    {
        Upstream.Behavior = new UpstreamBehavior { ToolCalls = [new("call_1", "get_weather", ["{\"city\": ", "Paris"])] };

        var response = stream
            ? (await CollectAsync(Client.GetStreamingResponseAsync(Question))).ToChatResponse()
            : await Client.GetResponseAsync(Question);

        var call = Assert.Single(response.Messages.SelectMany(m => m.Contents).OfType<FunctionCallContent>());
        Assert.Null(call.Arguments);
        Assert.NotNull(call.Exception);
        Assert.Equal("{\"city\": Paris", ToolCallJson.ArgumentsOf(call));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task FunctionInvocation_OverTheRoutePipeline_RunsTheToolAndAnswersWithItsResult(bool stream)
    {
        Upstream.Behavior = new UpstreamBehavior { ToolCalls = ParallelCalls, Chunks = ["Sunny in Paris, ", "rain in Rome."] };
        var cities = new List<string>();
        var weather = AIFunctionFactory.Create(
            (string city) =>
            {
                lock (cities)
                {
                    cities.Add(city);
                }

                return city == "Paris" ? "sunny" : "rain";
            },
            "get_weather",
            "The current weather in a city.");
        using var client = Client.AsBuilder().UseFunctionInvocation().Build();
        var options = new ChatOptions { Tools = [weather] };

        var response = stream
            ? (await CollectAsync(client.GetStreamingResponseAsync(Question, options))).ToChatResponse()
            : await client.GetResponseAsync(Question, options);

        Assert.Equal("Sunny in Paris, rain in Rome.", response.Text);
        Assert.Equal(["Paris", "Rome"], cities.Order());
        Assert.Equal(2, Upstream.Requests.Count);
        var second = JsonDocument.Parse(Upstream.Requests[1].Body).RootElement.GetProperty("messages");
        Assert.Equal(4, second.GetArrayLength());
        Assert.Equal("call_paris", second[1].GetProperty("tool_calls")[0].GetProperty("id").GetString());
        Assert.Equal("{\"city\":\"Paris\"}", second[1].GetProperty("tool_calls")[0].GetProperty("function").GetProperty("arguments").GetString());
        Assert.Equal("call_paris", second[2].GetProperty("tool_call_id").GetString());
        Assert.Equal("sunny", second[2].GetProperty("content").GetString());
        Assert.Equal("call_rome", second[3].GetProperty("tool_call_id").GetString());
        Assert.Equal("rain", second[3].GetProperty("content").GetString());
    }

    [Fact]
    public async Task Stream_TextAnswer_HasNoToolCalls()
    {
        Upstream.Behavior = new UpstreamBehavior { Chunks = ["a", "b"] };

        var updates = await CollectAsync(Client.GetStreamingResponseAsync(Question));

        Assert.Equal("ab", updates.ToChatResponse().Text);
        Assert.DoesNotContain(updates.SelectMany(u => u.Contents), c => c is FunctionCallContent);
        Assert.Equal(ChatFinishReason.Stop, updates.ToChatResponse().FinishReason);
    }
}
