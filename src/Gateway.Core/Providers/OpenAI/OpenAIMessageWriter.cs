using System.Text.Json;
using Gateway.Core.Chat;
using Microsoft.Extensions.AI;

namespace Gateway.Core.Providers.OpenAI;

/// <summary>
/// Writes the <c>messages</c> of a chat completions request: text messages as they are, an assistant's
/// <see cref="FunctionCallContent"/> as <c>tool_calls</c> (with <c>content: null</c> when it has no text),
/// and each <see cref="FunctionResultContent"/> as its own <c>tool</c> message with its <c>tool_call_id</c>
/// (Microsoft.Extensions.AI puts every result of one round in one message; OpenAI wants one message per call).
/// </summary>
internal static class OpenAIMessageWriter
{
    public static void Write(Utf8JsonWriter writer, IEnumerable<ChatMessage> messages)
    {
        writer.WriteStartArray("messages"u8);
        foreach (var message in messages)
        {
            if (!WriteToolResults(writer, message))
            {
                WriteMessage(writer, message);
            }
        }

        writer.WriteEndArray();
    }

    private static bool WriteToolResults(Utf8JsonWriter writer, ChatMessage message)
    {
        var wrote = false;
        var contents = message.Contents;
        for (var i = 0; i < contents.Count; i++)
        {
            if (contents[i] is FunctionResultContent result)
            {
                writer.WriteStartObject();
                writer.WriteString("role"u8, "tool"u8);
                writer.WriteString("tool_call_id"u8, result.CallId);
                writer.WriteString("content"u8, ToolCallJson.ResultOf(result));
                writer.WriteEndObject();
                wrote = true;
            }
        }

        return wrote;
    }

    private static void WriteMessage(Utf8JsonWriter writer, ChatMessage message)
    {
        writer.WriteStartObject();
        writer.WriteString("role"u8, message.Role.Value);
        var text = message.Text;
        var contents = message.Contents;
        var wroteCalls = false;
        for (var i = 0; i < contents.Count; i++)
        {
            if (contents[i] is not FunctionCallContent call)
            {
                continue;
            }

            if (!wroteCalls)
            {
                writer.WriteStartArray("tool_calls"u8);
                wroteCalls = true;
            }

            writer.WriteStartObject();
            writer.WriteString("id"u8, call.CallId);
            writer.WriteString("type"u8, "function"u8);
            writer.WriteStartObject("function"u8);
            writer.WriteString("name"u8, call.Name);
            writer.WriteString("arguments"u8, ToolCallJson.ArgumentsOf(call));
            writer.WriteEndObject();
            writer.WriteEndObject();
        }

        if (wroteCalls)
        {
            writer.WriteEndArray();
        }

        if (wroteCalls && text.Length == 0)
        {
            writer.WriteNull("content"u8);
        }
        else if (!OpenAIImageParts.TryWriteContent(writer, contents))
        {
            writer.WriteString("content"u8, text);
        }

        writer.WriteEndObject();
    }
}
