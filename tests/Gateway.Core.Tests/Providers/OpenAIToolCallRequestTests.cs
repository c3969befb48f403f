using System.Text.Json;
using Gateway.Core.Chat;
using Microsoft.Extensions.AI;

namespace Gateway.Core.Tests.Providers;

/// <summary>What the <c>openai</c> provider puts on the wire for tools, tool choices and a tool round trip's history.</summary>
public sealed class OpenAIToolCallRequestTests() : ProviderToolCallTests("openai")
{
    private static readonly ChatMessage[] Hello = [new(ChatRole.User, "Weather in Paris?")];

    [Fact]
    public async Task Complete_FunctionTool_WritesNameDescriptionAndSchemaAsParameters()
    {
        await Client.GetResponseAsync(Hello, new ChatOptions { Tools = [Weather] });

        var function = AssertWeatherTool(Assert.Single(SentBody().GetProperty("tools").EnumerateArray()));
        Assert.False(function.TryGetProperty("strict", out _));
    }

    [Fact]
    public async Task Complete_AIFunctionFromMethod_WritesItsGeneratedSchema()
    {
        var add = AIFunctionFactory.Create((int a, int b) => a + b, "add", "Adds two numbers.");

        await Client.GetResponseAsync(Hello, new ChatOptions { Tools = [add] });

        var function = SentBody().GetProperty("tools")[0].GetProperty("function");
        Assert.Equal("add", function.GetProperty("name").GetString());
        var properties = function.GetProperty("parameters").GetProperty("properties");
        Assert.Equal("integer", properties.GetProperty("a").GetProperty("type").GetString());
        Assert.Equal("integer", properties.GetProperty("b").GetProperty("type").GetString());
    }

    public static TheoryData<string, string> ToolModes() => new()
    {
        { "auto", "\"auto\"" },
        { "none", "\"none\"" },
        { "required", "\"required\"" },
        { "get_weather", """{"type":"function","function":{"name":"get_weather"}}""" },
    };

    [Theory]
    [MemberData(nameof(ToolModes))]
    public async Task Complete_ToolMode_WritesToolChoice(string mode, string expected)
    {
        ChatToolMode toolMode = mode switch
        {
            "auto" => ChatToolMode.Auto,
            "none" => ChatToolMode.None,
            "required" => ChatToolMode.RequireAny,
            _ => ChatToolMode.RequireSpecific(mode),
        };

        await Client.GetResponseAsync(Hello, new ChatOptions { Tools = [Weather], ToolMode = toolMode });

        Assert.Equal(expected, SentBody().GetProperty("tool_choice").GetRawText());
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Complete_AllowMultipleToolCalls_WritesParallelToolCalls(bool allow)
    {
        await Client.GetResponseAsync(Hello, new ChatOptions { Tools = [Weather], AllowMultipleToolCalls = allow });

        Assert.Equal(allow, SentBody().GetProperty("parallel_tool_calls").GetBoolean());
    }

    [Fact]
    public async Task Complete_NoTools_WritesNoToolMembers()
    {
        await Client.GetResponseAsync(Hello, new ChatOptions { Temperature = 0.5f });

        var body = SentBody();
        Assert.False(body.TryGetProperty("tools", out _));
        Assert.False(body.TryGetProperty("tool_choice", out _));
        Assert.False(body.TryGetProperty("parallel_tool_calls", out _));
    }

    [Fact]
    public async Task Complete_ToolRoundTripHistory_WritesToolCallsAndOneToolMessagePerResult()
    {
        ChatMessage[] history =
        [
            new(ChatRole.User, "Weather in Paris and Rome?"),
            new(ChatRole.Assistant, [
                ToolCallJson.CreateCall("call_1", "get_weather", """{ "city" : "Paris" }"""),
                new FunctionCallContent("call_2", "get_weather", new Dictionary<string, object?> { ["city"] = "Rome" }),
            ]),
            new(ChatRole.Tool, [
                new FunctionResultContent("call_1", "sunny"),
                new FunctionResultContent("call_2", JsonDocument.Parse("""{"sky":"cloudy"}""").RootElement),
            ]),
        ];

        await Client.GetResponseAsync(history, new ChatOptions { Tools = [Weather] });

        var messages = SentBody().GetProperty("messages");
        Assert.Equal(4, messages.GetArrayLength());
        var assistant = messages[1];
        Assert.Equal("assistant", assistant.GetProperty("role").GetString());
        Assert.Equal(JsonValueKind.Null, assistant.GetProperty("content").ValueKind);
        var calls = assistant.GetProperty("tool_calls");
        Assert.Equal(2, calls.GetArrayLength());
        Assert.Equal("call_1", calls[0].GetProperty("id").GetString());
        Assert.Equal("function", calls[0].GetProperty("type").GetString());
        Assert.Equal("get_weather", calls[0].GetProperty("function").GetProperty("name").GetString());

        // Arguments that came as text go on byte for byte; parsed ones are serialized.
        Assert.Equal("""{ "city" : "Paris" }""", calls[0].GetProperty("function").GetProperty("arguments").GetString());
        Assert.Equal("""{"city":"Rome"}""", calls[1].GetProperty("function").GetProperty("arguments").GetString());

        Assert.Equal("tool", messages[2].GetProperty("role").GetString());
        Assert.Equal("call_1", messages[2].GetProperty("tool_call_id").GetString());
        Assert.Equal("sunny", messages[2].GetProperty("content").GetString());
        Assert.Equal("call_2", messages[3].GetProperty("tool_call_id").GetString());
        Assert.Equal("""{"sky":"cloudy"}""", messages[3].GetProperty("content").GetString());
    }

    [Fact]
    public async Task Complete_AssistantTextWithToolCall_KeepsTheText()
    {
        ChatMessage[] history =
        [
            new(ChatRole.User, "Weather?"),
            new(ChatRole.Assistant, [new TextContent("Let me look."), ToolCallJson.CreateCall("call_1", "get_weather", "{}")]),
            new(ChatRole.Tool, [new FunctionResultContent("call_1", "sunny")]),
        ];

        await Client.GetResponseAsync(history);

        var assistant = SentBody().GetProperty("messages")[1];
        Assert.Equal("Let me look.", assistant.GetProperty("content").GetString());
        Assert.Equal("{}", assistant.GetProperty("tool_calls")[0].GetProperty("function").GetProperty("arguments").GetString());
    }

    [Fact]
    public async Task Complete_NonFunctionTool_IsRefusedNamingIt()
    {
        var error = await Assert.ThrowsAsync<Gateway.Core.Errors.GatewayException>(
            () => Client.GetResponseAsync(Hello, new ChatOptions { Tools = [new HostedWebSearchTool()] }));

        Assert.Equal("tools[0]", error.Extensions["field"]);
        Assert.Empty(Upstream.Requests);
    }
}
