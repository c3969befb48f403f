using Gateway.AspNetCore.OpenAI;

namespace Gateway.AspNetCore.Tests.OpenAI;

public sealed class OpenAIFieldNamesTests
{
    [Theory]
    [InlineData("options.temperature", "temperature")]
    [InlineData("options.topP", "top_p")]
    [InlineData("options.maxTokens", "max_completion_tokens")]
    [InlineData("modelKey", "model")]
    [InlineData("messages[3].toolCalls[1].id", "messages[3].tool_calls[1].id")]
    [InlineData("messages[0].toolCallId", "messages[0].tool_call_id")]
    [InlineData("toolChoice", "tool_choice")]
    [InlineData("tools[2].name", "tools[2].name")]
    public void ChatCompletions_Rename_SpellsTheFieldAsTheRequestDoes(string field, string expected) =>
        Assert.Equal(expected, OpenAIFieldNames.ChatCompletions.Rename(field));
}
