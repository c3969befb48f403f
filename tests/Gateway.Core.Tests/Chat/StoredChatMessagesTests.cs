using System.Text.Json;
using Gateway.Core.Chat;
using Gateway.Core.Storage.Conversations;
using Microsoft.Extensions.AI;

namespace Gateway.Core.Tests.Chat;

public sealed class StoredChatMessagesTests
{
    [Fact]
    public void ToStored_ArgumentsWrittenAsAnObject_KeepsTheTextAsWritten()
    {
        var stored = StoredChatMessages.ToStored(ToolCallJson.CreateCall("call_1", "get_weather", """{ "city": "Paris", "days": 3.0 }"""));

        Assert.Equal(new StoredToolCall("call_1", "get_weather", """{ "city": "Paris", "days": 3.0 }"""), stored);
    }

    [Theory]
    [InlineData("""{"city":"Par""")]
    [InlineData("[1,2]")]
    [InlineData("null")]
    [InlineData("")]
    public void ToStored_ArgumentsThatAreNoObject_StoresAnEmptyObject(string arguments)
    {
        var stored = StoredChatMessages.ToStored(ToolCallJson.CreateCall("call_1", "get_weather", arguments));

        Assert.Equal("{}", stored.Arguments);
    }

    [Fact]
    public void ToStored_ParsedArgumentsOnly_SerializesThemOnOneLine()
    {
        var stored = StoredChatMessages.ToStored(new FunctionCallContent("call_1", "get_weather", new Dictionary<string, object?> { ["city"] = "Paris" }));

        Assert.Equal("""{"city":"Paris"}""", stored.Arguments);
    }

    [Fact]
    public void ToChatMessage_StoredToolCall_ParsesTheArgumentsAndKeepsTheirText()
    {
        var stored = new ConversationMessage(
            "m1", "c1", null, "assistant", string.Empty, "main", null, null, MessageStatus.Complete, DateTimeOffset.UnixEpoch,
            ToolCalls: [new StoredToolCall("call_1", "get_weather", """{ "city": "Paris" }""")]);

        var call = Assert.IsType<FunctionCallContent>(Assert.Single(StoredChatMessages.ToChatMessage(stored).Contents));

        Assert.Equal(("call_1", "get_weather"), (call.CallId, call.Name));
        Assert.Equal("Paris", Assert.IsType<JsonElement>(call.Arguments!["city"]).GetString());
        Assert.Equal("""{ "city": "Paris" }""", ToolCallJson.ArgumentsOf(call));
    }
}
