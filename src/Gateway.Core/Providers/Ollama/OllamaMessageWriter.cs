using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Gateway.Core.Chat;
using Microsoft.Extensions.AI;

namespace Gateway.Core.Providers.Ollama;

/// <summary>
/// Writes the <c>messages</c> of an Ollama <c>/api/chat</c> request: text messages as they are, an assistant's
/// <see cref="FunctionCallContent"/> as <c>tool_calls</c> whose <c>arguments</c> is a JSON object, and each
/// <see cref="FunctionResultContent"/> as its own <c>tool</c> message. Ollama knows a result by the tool's name
/// (<c>tool_name</c>), not by a call id, so the name comes from the call with the result's id earlier in the history.
/// </summary>
internal static class OllamaMessageWriter
{
    // Microsoft.Extensions.AI's options indent; arguments and results travel on one line, as models write them.
    private static readonly JsonSerializerOptions Json = new(AIJsonUtilities.DefaultOptions) { WriteIndented = false };

    private static readonly JsonTypeInfo<IDictionary<string, object?>> ArgumentsType =
        (JsonTypeInfo<IDictionary<string, object?>>)Json.GetTypeInfo(typeof(IDictionary<string, object?>));

    public static void Write(Utf8JsonWriter writer, IEnumerable<ChatMessage> messages)
    {
        Dictionary<string, string>? toolNames = null;
        writer.WriteStartArray("messages"u8);
        foreach (var message in messages)
        {
            if (!WriteToolResults(writer, message, toolNames))
            {
                WriteMessage(writer, message, ref toolNames);
            }
        }

        writer.WriteEndArray();
    }

    private static bool WriteToolResults(Utf8JsonWriter writer, ChatMessage message, Dictionary<string, string>? toolNames)
    {
        var wrote = false;
        var contents = message.Contents;
        for (var i = 0; i < contents.Count; i++)
        {
            if (contents[i] is not FunctionResultContent result)
            {
                continue;
            }

            writer.WriteStartObject();
            writer.WriteString("role"u8, "tool"u8);
            writer.WriteString("content"u8, ToolCallJson.ResultOf(result));
            if (toolNames?.GetValueOrDefault(result.CallId) is { } name)
            {
                writer.WriteString("tool_name"u8, name);
            }

            writer.WriteEndObject();
            wrote = true;
        }

        return wrote;
    }

    private static void WriteMessage(Utf8JsonWriter writer, ChatMessage message, ref Dictionary<string, string>? toolNames)
    {
        writer.WriteStartObject();
        writer.WriteString("role"u8, message.Role.Value);
        writer.WriteString("content"u8, message.Text);
        var contents = message.Contents;
        OllamaImages.Write(writer, contents);
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

            (toolNames ??= new(StringComparer.Ordinal))[call.CallId] = call.Name;
            writer.WriteStartObject();
            writer.WriteStartObject("function"u8);
            writer.WriteString("name"u8, call.Name);
            writer.WritePropertyName("arguments"u8);
            JsonSerializer.Serialize(writer, call.Arguments ?? new Dictionary<string, object?>(), ArgumentsType);
            writer.WriteEndObject();
            writer.WriteEndObject();
        }

        if (wroteCalls)
        {
            writer.WriteEndArray();
        }

        writer.WriteEndObject();
    }
}
