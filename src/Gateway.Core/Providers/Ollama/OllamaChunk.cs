using System.Text.Json;

namespace Gateway.Core.Providers.Ollama;

/// <summary>The fields the gateway needs from one line of Ollama's <c>/api/chat</c> answer.</summary>
internal struct OllamaChunk
{
    public string? Model;
    public string? Content;
    public bool Done;
    public string? DoneReason;
    public long? PromptEvalCount;
    public long? EvalCount;
    public string? ErrorMessage;
    public List<OllamaToolCall>? ToolCalls;

    /// <exception cref="JsonException">The line is not a JSON object.</exception>
    public static OllamaChunk Parse(ReadOnlySpan<byte> json, bool readModel)
    {
        var chunk = default(OllamaChunk);
        var reader = new Utf8JsonReader(json);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            throw new JsonException("Expected a JSON object.");
        }

        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("message"u8))
            {
                reader.Read();
                chunk.ReadMessage(ref reader);
            }
            else if (reader.ValueTextEquals("done"u8))
            {
                reader.Read();
                chunk.Done = reader.TokenType == JsonTokenType.True;
            }
            else if (reader.ValueTextEquals("done_reason"u8))
            {
                reader.Read();
                chunk.DoneReason = reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
            }
            else if (reader.ValueTextEquals("prompt_eval_count"u8))
            {
                reader.Read();
                chunk.PromptEvalCount = reader.TokenType == JsonTokenType.Number ? reader.GetInt64() : null;
            }
            else if (reader.ValueTextEquals("eval_count"u8))
            {
                reader.Read();
                chunk.EvalCount = reader.TokenType == JsonTokenType.Number ? reader.GetInt64() : null;
            }
            else if (readModel && reader.ValueTextEquals("model"u8))
            {
                reader.Read();
                chunk.Model = reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
            }
            else if (reader.ValueTextEquals("error"u8))
            {
                reader.Read();
                chunk.ErrorMessage = reader.TokenType == JsonTokenType.String ? reader.GetString() : "unknown error";
                if (reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray)
                {
                    reader.Skip();
                }
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }

        return chunk;
    }

    private void ReadMessage(ref Utf8JsonReader reader)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            reader.Skip();
            return;
        }

        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("content"u8))
            {
                reader.Read();
                Content = reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
            }
            else if (reader.ValueTextEquals("tool_calls"u8))
            {
                reader.Read();
                ToolCalls = OllamaToolCall.ReadAll(ref reader);
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }
    }
}
