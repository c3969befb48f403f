using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Gateway.AspNetCore.Internal;

/// <summary>Writes an <see cref="EmbeddingVector"/> as numbers or base64; responses only, never read.</summary>
internal sealed class EmbeddingVectorJsonConverter : JsonConverter<EmbeddingVector>
{
    public override EmbeddingVector Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        throw new NotSupportedException("Embedding vectors are only written.");

    public override void Write(Utf8JsonWriter writer, EmbeddingVector value, JsonSerializerOptions options)
    {
        var values = value.Values.Span;
        if (value.Base64)
        {
            if (BitConverter.IsLittleEndian)
            {
                writer.WriteBase64StringValue(MemoryMarshal.AsBytes(values));
                return;
            }

            var bytes = new byte[values.Length * sizeof(float)];
            for (var i = 0; i < values.Length; i++)
            {
                BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(i * sizeof(float)), values[i]);
            }

            writer.WriteBase64StringValue(bytes);
            return;
        }

        writer.WriteStartArray();
        foreach (var number in values)
        {
            writer.WriteNumberValue(number);
        }

        writer.WriteEndArray();
    }
}
