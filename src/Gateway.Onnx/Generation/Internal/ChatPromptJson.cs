using System.Buffers;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.AI;

namespace Gateway.Onnx.Generation.Internal;

/// <summary>Writes chat messages as the JSON array ONNX Runtime GenAI's template engine reads: <c>[{"role":…,"content":…}]</c>.</summary>
internal static class ChatPromptJson
{
    public static string Write(IEnumerable<ChatMessage> messages)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartArray();
            foreach (var message in messages)
            {
                writer.WriteStartObject();
                writer.WriteString("role"u8, message.Role.Value);
                writer.WriteString("content"u8, message.Text);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }
}
