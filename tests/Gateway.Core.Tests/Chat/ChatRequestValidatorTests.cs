using System.Text.Json;
using Gateway.Core.Chat;
using Gateway.Core.Errors;
using Microsoft.Extensions.AI;

namespace Gateway.Core.Tests.Chat;

public sealed class ChatRequestValidatorTests
{
    private static readonly JsonElement ObjectSchema = JsonDocument.Parse("""{"type":"object","properties":{"city":{"type":"string"}}}""").RootElement;

    private static readonly ChatMessage Question = new(ChatRole.User, "Weather in Paris?");

    private static readonly ChatMessage Call = new(ChatRole.Assistant, [new FunctionCallContent("call_1", "get_weather", new Dictionary<string, object?> { ["city"] = "Paris" })]);

    private static readonly ChatMessage Result = new(ChatRole.Tool, [new FunctionResultContent("call_1", "18 °C")]);

    [Fact]
    public void Validate_ToolRoundTrip_IsAccepted()
    {
        ChatRequestValidator.Validate([Question, Call, Result], new ChatOptions { Tools = [Tool("get_weather")], ToolMode = ChatToolMode.RequireSpecific("get_weather") });
    }

    public static TheoryData<string, ChatMessage> InvalidMessages => new()
    {
        { "messages[1].toolCallId", new ChatMessage(ChatRole.Tool, "18 °C") },
        { "messages[1].toolCallId", new ChatMessage(ChatRole.Tool, [new FunctionResultContent(" ", "18 °C")]) },
        { "messages[1].toolCallId", new ChatMessage(ChatRole.User, [new FunctionResultContent("call_1", "18 °C")]) },
        { "messages[1].toolCalls", new ChatMessage(ChatRole.User, [new FunctionCallContent("call_1", "get_weather")]) },
        { "messages[1].toolCalls[0].id", new ChatMessage(ChatRole.Assistant, [new FunctionCallContent("", "get_weather")]) },
        { "messages[1].toolCalls[1].name", new ChatMessage(ChatRole.Assistant, [new FunctionCallContent("call_1", "get_weather"), new FunctionCallContent("call_2", "")]) },
        { "messages[1].role", new ChatMessage(new ChatRole("function"), "18 °C") },
    };

    [Theory]
    [MemberData(nameof(InvalidMessages))]
    public void Validate_InvalidToolMessage_NamesTheField(string field, ChatMessage message)
    {
        var error = Assert.Throws<GatewayException>(() => ChatRequestValidator.Validate([Question, message], null));

        Assert.Equal(GatewayErrorCodes.InvalidRequest, error.ErrorCode);
        Assert.Equal(field, error.Extensions["field"]);
    }

    public static TheoryData<string, string[], string?> InvalidTools => new()
    {
        { "tools[0].name", ["get.weather"], null },
        { "tools[0].name", ["get weather"], null },
        { "tools[0].name", [new string('a', 65)], null },
        { "tools[1].name", ["get_weather", "get_weather"], null },
        { "toolChoice", ["get_weather"], "get_time" },
    };

    [Theory]
    [MemberData(nameof(InvalidTools))]
    public void Validate_InvalidTools_NamesTheField(string field, string[] names, string? required)
    {
        var options = new ChatOptions
        {
            Tools = [.. names.Select(Tool)],
            ToolMode = required is null ? ChatToolMode.Auto : ChatToolMode.RequireSpecific(required),
        };

        var error = Assert.Throws<GatewayException>(() => ChatRequestValidator.Validate([Question], options));

        Assert.Equal(field, error.Extensions["field"]);
    }

    [Fact]
    public void Validate_LongestNameOfEveryAllowedCharacter_IsAccepted()
    {
        var name = "Az09_-" + new string('x', ChatRequestValidator.MaxToolNameLength - 6);

        ChatRequestValidator.Validate([Question], new ChatOptions { Tools = [Tool(name)] });
    }

    [Fact]
    public void Validate_RequireAnyWithoutTools_NamesToolChoice()
    {
        var error = Assert.Throws<GatewayException>(() => ChatRequestValidator.Validate([Question], new ChatOptions { ToolMode = ChatToolMode.RequireAny }));

        Assert.Equal("toolChoice", error.Extensions["field"]);
    }

    [Fact]
    public void Validate_ToolThatIsNotAFunction_IsRefused()
    {
        var error = Assert.Throws<GatewayException>(() => ChatRequestValidator.Validate([Question], new ChatOptions { Tools = [new OtherTool()] }));

        Assert.Equal("tools[0]", error.Extensions["field"]);
    }

    private static AIFunctionDeclaration Tool(string name) => AIFunctionFactory.CreateDeclaration(name, "A tool.", ObjectSchema);

    /// <summary>A tool the upstream would run itself (as a hosted search tool is), which the gateway cannot forward.</summary>
    private sealed class OtherTool : AITool
    {
    }
}
