using System.Buffers;
using System.Text.Json;

namespace Gateway.TestUpstream.Internal;

/// <summary>
/// One provider's chat wire format. Whole-body writers write one JSON value that the caller flushes;
/// stream writers frame their events themselves and the caller flushes the pipe after each call.
/// </summary>
internal interface IChatWireFormat
{
    string StreamContentType { get; }

    /// <summary>Reads the answer-shaping fields of a request whose <c>model</c> has already been read.</summary>
    ChatRequest ReadRequest(string model, JsonElement request);

    void WriteError(Utf8JsonWriter json, int status, string message);

    void WriteCompletion(Utf8JsonWriter json, in ChatAnswer answer, TimeSpan elapsed);

    void WriteChunk(Utf8JsonWriter json, IBufferWriter<byte> output, in ChatAnswer answer, int index);

    void WriteToolCallChunk(Utf8JsonWriter json, IBufferWriter<byte> output, in ChatAnswer answer, ToolCallStep step);

    void WriteStreamEnd(Utf8JsonWriter json, IBufferWriter<byte> output, in ChatAnswer answer, TimeSpan elapsed);

    void WriteStreamError(Utf8JsonWriter json, IBufferWriter<byte> output, string message);
}
