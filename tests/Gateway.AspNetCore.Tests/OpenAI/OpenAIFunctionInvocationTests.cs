using System.ClientModel;
using System.Text.Json;
using Gateway.AspNetCore.Tests.Infrastructure;
using Gateway.TestUpstream;
using Microsoft.Extensions.AI;

namespace Gateway.AspNetCore.Tests.OpenAI;

/// <summary>
/// Microsoft.Extensions.AI's function invocation over its own OpenAI client pointed at the gateway's /v1:
/// the tool round trip an agent framework runs, end to end through the gateway and the test upstream.
/// </summary>
public sealed class OpenAIFunctionInvocationTests : GatewayFixture
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task UseFunctionInvocation_OverV1_RunsTheToolsAndAnswersWithTheirResults(bool stream)
    {
        var gateway = await StartGatewayAsync(("GATEWAY_API_KEYS", "sk-gateway"), ("MODEL_ROUTE_MAIN", OpenAIRoute()));
        Upstream.Behavior = new UpstreamBehavior
        {
            ToolCalls = [new("call_paris", "get_weather", ["{\"city\"", ":\"Paris\"}"]), new("call_rome", "get_weather", "{\"city\":\"Rome\"}")],
            Chunks = ["Sunny in Paris, ", "rain in Rome."],
        };
        var openAI = new global::OpenAI.OpenAIClient(
            new ApiKeyCredential("sk-gateway"), new global::OpenAI.OpenAIClientOptions { Endpoint = new Uri(gateway.BaseAddress, "v1") });
        using var client = openAI.GetChatClient("main").AsIChatClient().AsBuilder().UseFunctionInvocation().Build();
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
        var options = new ChatOptions { Tools = [weather], ToolMode = ChatToolMode.Auto };
        ChatMessage[] question = [new(ChatRole.User, "Weather in Paris and Rome?")];

        ChatResponse response;
        if (stream)
        {
            var updates = new List<ChatResponseUpdate>();
            await foreach (var update in client.GetStreamingResponseAsync(question, options))
            {
                updates.Add(update);
            }

            response = updates.ToChatResponse();
        }
        else
        {
            response = await client.GetResponseAsync(question, options);
        }

        Assert.Equal("Sunny in Paris, rain in Rome.", response.Text);
        Assert.Equal(["Paris", "Rome"], cities.Order());
        Assert.Equal(2, Upstream.Requests.Count);
        var first = JsonDocument.Parse(Upstream.Requests[0].Body).RootElement;
        Assert.Equal("get_weather", first.GetProperty("tools")[0].GetProperty("function").GetProperty("name").GetString());
        Assert.Equal("auto", first.GetProperty("tool_choice").GetString());
        var second = JsonDocument.Parse(Upstream.Requests[1].Body).RootElement.GetProperty("messages");
        Assert.Equal(["user", "assistant", "tool", "tool"], second.EnumerateArray().Select(m => m.GetProperty("role").GetString()));
        Assert.Equal("call_rome", second[3].GetProperty("tool_call_id").GetString());

        // Microsoft.Extensions.AI's OpenAI client sends a result as JSON; the gateway forwards it as it came.
        Assert.Equal("\"rain\"", second[3].GetProperty("content").GetString());
    }
}
