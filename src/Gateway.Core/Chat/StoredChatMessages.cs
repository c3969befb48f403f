using Gateway.Core.Storage.Conversations;
using Microsoft.Extensions.AI;

namespace Gateway.Core.Chat;

/// <summary>
/// How a turn's <see cref="ChatMessage"/>s are stored and come back. An assistant message's
/// <see cref="FunctionCallContent"/>s are its <see cref="StoredToolCall"/>s (arguments as JSON text); each
/// <see cref="FunctionResultContent"/> of a tool message is one stored <c>tool</c> message with its call id,
/// and the function's name when a call of the conversation names it. Read back, they are the same
/// contents again, so a continued conversation sends the tool round trip upstream as it happened. A
/// stored tool message without a call id (tool text from before tool calls were stored, or from a
/// ChatGPT export) goes upstream as assistant text: no upstream accepts a tool result that answers no call.
/// </summary>
internal static class StoredChatMessages
{
    /// <summary>The message to send upstream for a stored one.</summary>
    public static ChatMessage ToChatMessage(ConversationMessage stored)
    {
        if (stored.ToolCalls is { Count: > 0 } calls)
        {
            var contents = new List<AIContent>(calls.Count + 1);
            if (stored.Content.Length > 0)
            {
                contents.Add(new TextContent(stored.Content));
            }

            foreach (var call in calls)
            {
                contents.Add(ToolCallJson.CreateCall(call.Id, call.Name, call.Arguments));
            }

            return new ChatMessage(ChatRole.Assistant, contents);
        }

        if (stored.Role == ChatRole.Tool.Value)
        {
            return stored.ToolCallId is { } callId
                ? new ChatMessage(ChatRole.Tool, [new FunctionResultContent(callId, stored.Content)])
                : new ChatMessage(ChatRole.Assistant, stored.Content);
        }

        return new ChatMessage(new ChatRole(stored.Role), stored.Content);
    }

    /// <summary>
    /// The stored messages of one chat message, in order: itself, or for a tool message one per result it
    /// carries; <paramref name="toolNames"/> names the functions of the calls the results answer.
    /// </summary>
    public static IEnumerable<NewMessage> ToNewMessages(ChatMessage message, IReadOnlyDictionary<string, string> toolNames)
    {
        var results = message.Contents.OfType<FunctionResultContent>().ToList();
        if (results.Count > 0)
        {
            foreach (var result in results)
            {
                yield return ToolResult(result, toolNames);
            }

            yield break;
        }

        var calls = message.Contents.OfType<FunctionCallContent>().Select(ToStored).ToList();
        yield return new NewMessage(message.Role.Value, message.Text, ToolCalls: calls.Count > 0 ? calls : null);
    }

    /// <summary>The stored message of a tool result, named after its call when <paramref name="toolNames"/> knows it.</summary>
    public static NewMessage ToolResult(FunctionResultContent result, IReadOnlyDictionary<string, string> toolNames) => new(
        ChatRole.Tool.Value, ToolCallJson.ResultOf(result), ToolCallId: result.CallId, ToolName: toolNames.GetValueOrDefault(result.CallId));

    /// <summary>
    /// A tool call as stored: its id, its function's name and its arguments as the text of a JSON object, the
    /// text the model wrote when it is one, else what could be parsed of it (<c>{}</c> when nothing could).
    /// </summary>
    public static StoredToolCall ToStored(FunctionCallContent call) => new(
        call.CallId,
        call.Name,
        call is { Exception: null, Arguments: not null, RawRepresentation: string written } ? written : ToolCallJson.Serialize(call.Arguments));

    /// <summary>The function names of every call in <paramref name="messages"/>, by call id.</summary>
    public static Dictionary<string, string> ToolNames(IEnumerable<ChatMessage> messages)
    {
        var names = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var call in messages.SelectMany(m => m.Contents).OfType<FunctionCallContent>())
        {
            names[call.CallId] = call.Name;
        }

        return names;
    }
}
