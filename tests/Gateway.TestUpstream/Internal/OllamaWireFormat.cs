using System.Buffers;
using System.Text.Json;

namespace Gateway.TestUpstream.Internal;

/// <summary>Ollama's native <c>/api/chat</c> format: one JSON object, or newline-delimited JSON objects.</summary>
internal sealed class OllamaWireFormat : IChatWireFormat
{
    private OllamaWireFormat()
    {
    }

    public static OllamaWireFormat Instance { get; } = new();

    public string StreamContentType => "application/x-ndjson";

    public ChatRequest ReadRequest(string model, JsonElement request) => new(
        model,
        Stream: !(request.TryGetProperty("stream"u8, out var stream) && stream.ValueKind == JsonValueKind.False),
        IncludeUsage: true,
        MaxTokens: request.TryGetProperty("options"u8, out var options)
            && options.ValueKind == JsonValueKind.Object
            && options.TryGetProperty("num_predict"u8, out var numPredict)
            && numPredict.ValueKind == JsonValueKind.Number
            && numPredict.TryGetInt32(out var limit)
            && limit >= 0 // Ollama reads -1 as "no limit".
                ? limit
                : null,
        Stop: request.TryGetProperty("options"u8, out var stopOptions) ? WireJson.ReadStop(stopOptions) : [],
        EndsWithToolResult: WireJson.EndsWithToolResult(request));

    public void WriteError(Utf8JsonWriter json, int status, string message)
    {
        json.WriteStartObject();
        json.WriteString("error"u8, message);
        json.WriteEndObject();
    }

    public void WriteCompletion(Utf8JsonWriter json, in ChatAnswer answer, TimeSpan elapsed) =>
        WriteDone(json, answer, answer.Content, elapsed, answer.ToolCalls);

    public void WriteChunk(Utf8JsonWriter json, IBufferWriter<byte> output, in ChatAnswer answer, int index)
    {
        json.Reset();
        WriteMessageStart(json, answer);
        json.WriteString("content"u8, answer.Chunks.Span[index]);
        json.WriteEndObject();
        json.WriteBoolean("done"u8, false);
        json.WriteEndObject();
        EndLine(json, output);
    }

    /// <summary>Ollama sends a call whole, its arguments an object, in one chunk: the call's start carries it, its fragments send nothing.</summary>
    public void WriteToolCallChunk(Utf8JsonWriter json, IBufferWriter<byte> output, in ChatAnswer answer, ToolCallStep step)
    {
        if (!step.IsStart)
        {
            return;
        }

        json.Reset();
        WriteMessageStart(json, answer);
        json.WriteString("content"u8, string.Empty);
        WriteToolCalls(json, [answer.ToolCalls[step.Call]]);
        json.WriteEndObject();
        json.WriteBoolean("done"u8, false);
        json.WriteEndObject();
        EndLine(json, output);
    }

    public void WriteStreamEnd(Utf8JsonWriter json, IBufferWriter<byte> output, in ChatAnswer answer, TimeSpan elapsed)
    {
        json.Reset();
        WriteDone(json, answer, string.Empty, elapsed, []);
        EndLine(json, output);
    }

    public void WriteStreamError(Utf8JsonWriter json, IBufferWriter<byte> output, string message)
    {
        json.Reset();
        WriteError(json, 500, message);
        EndLine(json, output);
    }

    private static void EndLine(Utf8JsonWriter json, IBufferWriter<byte> output)
    {
        json.Flush();
        output.Write("\n"u8);
    }

    private static void WriteMessageStart(Utf8JsonWriter json, in ChatAnswer answer)
    {
        json.WriteStartObject();
        json.WriteString("model"u8, answer.Model);
        json.WriteString("created_at"u8, answer.Created.UtcDateTime);
        json.WriteStartObject("message"u8);
        json.WriteString("role"u8, "assistant"u8);
    }

    private static void WriteToolCalls(Utf8JsonWriter json, IReadOnlyList<UpstreamToolCall> calls)
    {
        json.WriteStartArray("tool_calls"u8);
        foreach (var call in calls)
        {
            json.WriteStartObject();
            json.WriteStartObject("function"u8);
            json.WriteString("name"u8, call.Name);
            json.WritePropertyName("arguments"u8);
            json.WriteRawValue(call.Arguments);
            json.WriteEndObject();
            json.WriteEndObject();
        }

        json.WriteEndArray();
    }

    private static void WriteDone(Utf8JsonWriter json, in ChatAnswer answer, string content, TimeSpan elapsed, IReadOnlyList<UpstreamToolCall> toolCalls)
    {
        var nanoseconds = elapsed.Ticks * TimeSpan.NanosecondsPerTick;
        WriteMessageStart(json, answer);
        json.WriteString("content"u8, content);
        if (toolCalls.Count > 0)
        {
            WriteToolCalls(json, toolCalls);
        }

        json.WriteEndObject();
        json.WriteBoolean("done"u8, true);

        // Ollama ends an answer that calls tools with "stop"; only the calls say so.
        json.WriteString("done_reason"u8, answer.ToolCalls.Count > 0 ? "stop" : answer.FinishReason);
        json.WriteNumber("total_duration"u8, nanoseconds);
        json.WriteNumber("load_duration"u8, 0);
        json.WriteNumber("prompt_eval_count"u8, answer.PromptTokens);
        json.WriteNumber("prompt_eval_duration"u8, 0);
        json.WriteNumber("eval_count"u8, answer.CompletionTokens);
        json.WriteNumber("eval_duration"u8, nanoseconds);
        json.WriteEndObject();
    }
}
