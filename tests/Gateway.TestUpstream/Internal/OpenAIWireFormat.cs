using System.Buffers;
using System.Text;
using System.Text.Json;

namespace Gateway.TestUpstream.Internal;

/// <summary>The OpenAI chat completions format: one JSON body, or server-sent events ending in <c>[DONE]</c>.</summary>
internal sealed class OpenAIWireFormat : IChatWireFormat
{
    private OpenAIWireFormat()
    {
    }

    public static OpenAIWireFormat Instance { get; } = new();

    public string StreamContentType => "text/event-stream";

    public ChatRequest ReadRequest(string model, JsonElement request) => new(
        model,
        Stream: request.TryGetProperty("stream"u8, out var stream) && stream.ValueKind == JsonValueKind.True,
        IncludeUsage: request.TryGetProperty("stream_options"u8, out var streamOptions)
            && streamOptions.ValueKind == JsonValueKind.Object
            && streamOptions.TryGetProperty("include_usage"u8, out var includeUsage)
            && includeUsage.ValueKind == JsonValueKind.True,
        MaxTokens: request.TryGetProperty("max_tokens"u8, out var maxTokens)
            && maxTokens.ValueKind == JsonValueKind.Number
            && maxTokens.TryGetInt32(out var limit)
                ? limit
                : null,
        Stop: WireJson.ReadStop(request),
        EndsWithToolResult: WireJson.EndsWithToolResult(request),
        Logprobs: request.TryGetProperty("logprobs"u8, out var logprobs) && logprobs.ValueKind == JsonValueKind.True,
        TopLogprobs: request.TryGetProperty("top_logprobs"u8, out var top) && top.ValueKind == JsonValueKind.Number && top.TryGetInt32(out var count) ? count : 0,
        Choices: request.TryGetProperty("n"u8, out var n) && n.ValueKind == JsonValueKind.Number && n.TryGetInt32(out var choices) && choices > 1 ? choices : 1);

    public void WriteError(Utf8JsonWriter json, int status, string message)
    {
        var (type, code) = status switch
        {
            401 => ("invalid_request_error", "invalid_api_key"),
            404 => ("invalid_request_error", "model_not_found"),
            429 => ("requests", "rate_limit_exceeded"),
            >= 500 => ("server_error", null),
            _ => ("invalid_request_error", (string?)null),
        };

        json.WriteStartObject();
        json.WriteStartObject("error"u8);
        json.WriteString("message"u8, message);
        json.WriteString("type"u8, type);
        json.WriteNull("param"u8);
        json.WriteString("code"u8, code);
        json.WriteEndObject();
        json.WriteEndObject();
    }

    public void WriteCompletion(Utf8JsonWriter json, in ChatAnswer answer, TimeSpan elapsed)
    {
        json.WriteStartObject();
        json.WriteString("id"u8, "chatcmpl-test"u8);
        json.WriteString("object"u8, "chat.completion"u8);
        json.WriteNumber("created"u8, answer.Created.ToUnixTimeSeconds());
        json.WriteString("model"u8, answer.Model);
        json.WriteStartArray("choices"u8);
        for (var choice = 0; choice < answer.Choices; choice++)
        {
            WriteCompletionChoice(json, answer, choice);
        }

        json.WriteEndArray();
        WriteUsage(json, answer);
        json.WriteEndObject();
    }

    /// <summary>Choice <paramref name="choice"/> of a completion: choice 0 is the answer, choice k the answer with <c>(k) </c> before it.</summary>
    private static void WriteCompletionChoice(Utf8JsonWriter json, in ChatAnswer answer, int choice)
    {
        json.WriteStartObject();
        json.WriteNumber("index"u8, choice);
        json.WriteStartObject("message"u8);
        json.WriteString("role"u8, "assistant"u8);
        if (answer.ToolCalls.Count > 0)
        {
            json.WriteNull("content"u8);
            json.WriteStartArray("tool_calls"u8);
            foreach (var call in answer.ToolCalls)
            {
                json.WriteStartObject();
                json.WriteString("id"u8, call.Id);
                json.WriteString("type"u8, "function"u8);
                json.WriteStartObject("function"u8);
                json.WriteString("name"u8, call.Name);
                json.WriteString("arguments"u8, call.Arguments);
                json.WriteEndObject();
                json.WriteEndObject();
            }

            json.WriteEndArray();
        }
        else
        {
            json.WriteString("content"u8, ChoicePrefix(choice) + answer.Content);
        }

        json.WriteEndObject();
        if (answer.Logprobs)
        {
            WriteLogprobs(json, answer, 0, answer.Chunks.Length);
        }

        json.WriteString("finish_reason"u8, answer.FinishReason);
        json.WriteEndObject();
    }

    private static string ChoicePrefix(int choice) => choice == 0 ? string.Empty : $"({choice}) ";

    /// <summary>
    /// A choice's <c>logprobs</c> for chunks <paramref name="first"/> to <paramref name="end"/>, each chunk one token:
    /// chunk i has log probability -(i+1)/10 and <see cref="ChatAnswer.TopLogprobs"/> alternatives, <c>alt0</c>, <c>alt1</c>, ….
    /// </summary>
    private static void WriteLogprobs(Utf8JsonWriter json, in ChatAnswer answer, int first, int end)
    {
        json.WriteStartObject("logprobs"u8);
        json.WriteStartArray("content"u8);
        for (var i = first; i < end; i++)
        {
            var token = answer.Chunks.Span[i];
            json.WriteStartObject();
            json.WriteString("token"u8, token);
            json.WriteNumber("logprob"u8, -(i + 1) / 10.0);
            json.WriteStartArray("bytes"u8);
            foreach (var b in Encoding.UTF8.GetBytes(token.Value))
            {
                json.WriteNumberValue(b);
            }

            json.WriteEndArray();
            json.WriteStartArray("top_logprobs"u8);
            for (var alternative = 0; alternative < answer.TopLogprobs; alternative++)
            {
                json.WriteStartObject();
                json.WriteString("token"u8, "alt" + alternative);
                json.WriteNumber("logprob"u8, -(i + 2 + alternative) / 10.0);
                json.WriteNull("bytes"u8);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteNull("refusal"u8);
        json.WriteEndObject();
    }

    /// <summary>Chunk <paramref name="index"/> of every choice, one event each, as OpenAI streams several choices.</summary>
    public void WriteChunk(Utf8JsonWriter json, IBufferWriter<byte> output, in ChatAnswer answer, int index)
    {
        for (var choice = 0; choice < answer.Choices; choice++)
        {
            WriteChoiceChunk(json, output, answer, index, choice);
        }
    }

    private static void WriteChoiceChunk(Utf8JsonWriter json, IBufferWriter<byte> output, in ChatAnswer answer, int index, int choice)
    {
        BeginEvent(json, output);
        WriteChunkHeader(json, answer);
        json.WriteStartArray("choices"u8);
        json.WriteStartObject();
        json.WriteNumber("index"u8, choice);
        json.WriteStartObject("delta"u8);
        if (index == 0)
        {
            json.WriteString("role"u8, "assistant"u8);
        }

        if (index == 0 && choice > 0)
        {
            json.WriteString("content"u8, ChoicePrefix(choice) + answer.Chunks.Span[index].Value);
        }
        else
        {
            json.WriteString("content"u8, answer.Chunks.Span[index]);
        }
        json.WriteEndObject();
        if (answer.Logprobs)
        {
            WriteLogprobs(json, answer, index, index + 1);
        }

        json.WriteNull("finish_reason"u8);
        json.WriteEndObject();
        json.WriteEndArray();
        json.WriteEndObject();
        EndEvent(json, output);
    }

    public void WriteToolCallChunk(Utf8JsonWriter json, IBufferWriter<byte> output, in ChatAnswer answer, ToolCallStep step)
    {
        var call = answer.ToolCalls[step.Call];
        BeginEvent(json, output);
        WriteChunkHeader(json, answer);
        json.WriteStartArray("choices"u8);
        json.WriteStartObject();
        json.WriteNumber("index"u8, 0);
        json.WriteStartObject("delta"u8);
        if (step is { IsStart: true, Call: 0 })
        {
            json.WriteString("role"u8, "assistant"u8);
            json.WriteNull("content"u8);
        }

        json.WriteStartArray("tool_calls"u8);
        json.WriteStartObject();
        json.WriteNumber("index"u8, step.Call);
        if (step.IsStart)
        {
            json.WriteString("id"u8, call.Id);
            json.WriteString("type"u8, "function"u8);
        }

        json.WriteStartObject("function"u8);
        if (step.IsStart)
        {
            json.WriteString("name"u8, call.Name);
        }

        json.WriteString("arguments"u8, step.IsStart ? string.Empty : call.ArgumentFragments[step.Fragment]);
        json.WriteEndObject();
        json.WriteEndObject();
        json.WriteEndArray();
        json.WriteEndObject();
        json.WriteNull("finish_reason"u8);
        json.WriteEndObject();
        json.WriteEndArray();
        json.WriteEndObject();
        EndEvent(json, output);
    }

    public void WriteStreamEnd(Utf8JsonWriter json, IBufferWriter<byte> output, in ChatAnswer answer, TimeSpan elapsed)
    {
        for (var choice = 0; choice < answer.Choices; choice++)
        {
            BeginEvent(json, output);
            WriteChunkHeader(json, answer);
            json.WriteStartArray("choices"u8);
            json.WriteStartObject();
            json.WriteNumber("index"u8, choice);
            json.WriteStartObject("delta"u8);
            json.WriteEndObject();
            json.WriteString("finish_reason"u8, answer.FinishReason);
            json.WriteEndObject();
            json.WriteEndArray();
            json.WriteEndObject();
            EndEvent(json, output);
        }

        if (answer.IncludeUsage)
        {
            BeginEvent(json, output);
            WriteChunkHeader(json, answer);
            json.WriteStartArray("choices"u8);
            json.WriteEndArray();
            WriteUsage(json, answer);
            json.WriteEndObject();
            EndEvent(json, output);
        }

        if (answer.DoneMarker)
        {
            output.Write("data: [DONE]\n\n"u8);
        }
    }

    public void WriteStreamError(Utf8JsonWriter json, IBufferWriter<byte> output, string message)
    {
        BeginEvent(json, output);
        WriteError(json, 500, message);
        EndEvent(json, output);
    }

    private static void BeginEvent(Utf8JsonWriter json, IBufferWriter<byte> output)
    {
        output.Write("data: "u8);
        json.Reset();
    }

    private static void EndEvent(Utf8JsonWriter json, IBufferWriter<byte> output)
    {
        json.Flush();
        output.Write("\n\n"u8);
    }

    private static void WriteChunkHeader(Utf8JsonWriter json, in ChatAnswer answer)
    {
        json.WriteStartObject();
        json.WriteString("id"u8, "chatcmpl-test"u8);
        json.WriteString("object"u8, "chat.completion.chunk"u8);
        json.WriteNumber("created"u8, answer.Created.ToUnixTimeSeconds());
        json.WriteString("model"u8, answer.Model);
    }

    private static void WriteUsage(Utf8JsonWriter json, in ChatAnswer answer)
    {
        json.WriteStartObject("usage"u8);
        json.WriteNumber("prompt_tokens"u8, answer.PromptTokens);
        json.WriteNumber("completion_tokens"u8, answer.CompletionTokens);
        json.WriteNumber("total_tokens"u8, answer.PromptTokens + answer.CompletionTokens);
        json.WriteEndObject();
    }
}
