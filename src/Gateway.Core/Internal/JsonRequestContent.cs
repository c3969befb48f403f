using System.Buffers;
using System.Net.Http.Headers;
using System.Text.Json;

namespace Gateway.Core.Internal;

/// <summary>Builds a JSON request body with a <see cref="Utf8JsonWriter"/>, without an intermediate object model.</summary>
internal static class JsonRequestContent
{
    private static readonly MediaTypeHeaderValue JsonMediaType = new("application/json") { CharSet = "utf-8" };

    public static HttpContent Create<TState>(TState state, Action<Utf8JsonWriter, TState> write)
    {
        var buffer = new ArrayBufferWriter<byte>(1024);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            write(writer, state);
        }

        var content = new ReadOnlyMemoryContent(buffer.WrittenMemory);
        content.Headers.ContentType = JsonMediaType;
        return content;
    }

    /// <summary>Writes a sampling parameter without the binary noise of float→double (0.7f must stay 0.7).</summary>
    public static void WriteSamplingNumber(this Utf8JsonWriter writer, string name, float value) =>
        writer.WriteNumber(name, Math.Round((double)value, 6));
}
