using System.Text.Json;
using Gateway.Core.Chat;
using Microsoft.Extensions.AI;

namespace Gateway.Core.Tests.Chat;

public sealed class ToolCallJsonTests
{
    [Fact]
    public void CreateCall_ValidArguments_ParsesThemAndKeepsTheText()
    {
        var call = ToolCallJson.CreateCall("call_1", "get_weather", """{"city":"Paris","days":3}""");

        Assert.Equal("call_1", call.CallId);
        Assert.Equal("get_weather", call.Name);
        Assert.Null(call.Exception);
        Assert.Equal("Paris", ((JsonElement)call.Arguments!["city"]!).GetString());
        Assert.Equal(3, ((JsonElement)call.Arguments!["days"]!).GetInt32());
        Assert.Equal("""{"city":"Paris","days":3}""", ToolCallJson.ArgumentsOf(call));
    }

    [Theory]
    [InlineData("""{"city":"Par""")]
    [InlineData("[1,2]")]
    [InlineData("not json")]
    public void CreateCall_InvalidArguments_KeepsTheTextAndRecordsWhy(string arguments)
    {
        var call = ToolCallJson.CreateCall("call_1", "get_weather", arguments);

        Assert.Null(call.Arguments);
        Assert.NotNull(call.Exception);
        Assert.Equal(arguments, ToolCallJson.ArgumentsOf(call));
    }

    [Fact]
    public void CreateCall_EmptyArguments_IsACallWithoutArguments()
    {
        var call = ToolCallJson.CreateCall("call_1", "now", string.Empty);

        Assert.Null(call.Arguments);
        Assert.Null(call.Exception);
        Assert.Equal(string.Empty, ToolCallJson.ArgumentsOf(call));
    }

    [Fact]
    public void ArgumentsOf_CallBuiltInCode_SerializesItsArguments()
    {
        Assert.Equal("{}", ToolCallJson.ArgumentsOf(new FunctionCallContent("c", "now")));
        Assert.Equal(
            """{"a":1,"b":"x"}""",
            ToolCallJson.ArgumentsOf(new FunctionCallContent("c", "f", new Dictionary<string, object?> { ["a"] = 1, ["b"] = "x" })));
    }

    [Fact]
    public void ResultOf_StringsAsTheyAreAndValuesAsJson()
    {
        Assert.Equal("sunny", ToolCallJson.ResultOf(new FunctionResultContent("c", "sunny")));
        Assert.Equal("sunny", ToolCallJson.ResultOf(new FunctionResultContent("c", JsonSerializer.SerializeToElement("sunny"))));
        Assert.Equal("""{"t":21}""", ToolCallJson.ResultOf(new FunctionResultContent("c", JsonDocument.Parse("""{"t":21}""").RootElement)));
        Assert.Equal("42", ToolCallJson.ResultOf(new FunctionResultContent("c", 42)));
        Assert.Equal(string.Empty, ToolCallJson.ResultOf(new FunctionResultContent("c", null)));
    }
}
