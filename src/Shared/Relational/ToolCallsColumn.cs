using System.Buffers;
using System.Text;
using System.Text.Json;
using Gateway.Core.Storage.Conversations;

namespace Gateway.Storage.Relational;

/// <summary>
/// How an assistant message's tool calls are stored in <c>messages.tool_calls</c> (text on SQLite, jsonb
/// on PostgreSQL): a JSON array of <c>{"id", "name", "arguments"}</c> with the arguments as a string, so
/// their text comes back exactly as written on both engines (jsonb would reformat an object); <c>NULL</c>
/// when there are none.
/// </summary>
internal static class ToolCallsColumn
{
    /// <summary>The column value for <paramref name="toolCalls"/>: their JSON text, or <see cref="DBNull"/> when there are none.</summary>
    public static object ToColumn(IReadOnlyList<StoredToolCall>? toolCalls) => Format(toolCalls) is { } text ? text : DBNull.Value;

    /// <summary>The JSON text of <paramref name="toolCalls"/>, or <see langword="null"/> when there are none.</summary>
    public static string? Format(IReadOnlyList<StoredToolCall>? toolCalls)
    {
        if (toolCalls is not { Count: > 0 })
        {
            return null;
        }

        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartArray();
            foreach (var call in toolCalls)
            {
                writer.WriteStartObject();
                writer.WriteString("id", call.Id);
                writer.WriteString("name", call.Name);
                writer.WriteString("arguments", call.Arguments);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary>The tool calls of a stored column value; <see langword="null"/> for <c>NULL</c> or an empty array.</summary>
    public static IReadOnlyList<StoredToolCall>? Parse(string? text)
    {
        if (text is null)
        {
            return null;
        }

        using var document = JsonDocument.Parse(text);
        var calls = new List<StoredToolCall>(document.RootElement.GetArrayLength());
        foreach (var call in document.RootElement.EnumerateArray())
        {
            calls.Add(new StoredToolCall(
                call.GetProperty("id").GetString()!, call.GetProperty("name").GetString()!, call.GetProperty("arguments").GetString()!));
        }

        return calls.Count == 0 ? null : calls;
    }
}
