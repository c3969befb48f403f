using System.Text.Json;

namespace Gateway.Core.Providers.OpenAI;

/// <summary>
/// The fields the gateway needs from one OpenAI <c>chat.completion(.chunk)</c> object, read with a
/// forward-only <see cref="Utf8JsonReader"/> so a streamed chunk costs no object model. Its
/// <c>tool_calls</c> go to an <see cref="OpenAIToolCallAccumulator"/>, which puts a stream's fragments together.
/// </summary>
internal struct OpenAIChunk
{
    public string? Id;
    public string? Model;
    public long? Created;
    public string? Content;
    public string? FinishReason;
    public long? PromptTokens;
    public long? CompletionTokens;
    public string? ErrorMessage;

    /// <summary>The first choice's <c>logprobs</c>, read only when the request asked for them.</summary>
    public JsonElement? Logprobs;

    /// <summary>The first choice's <c>index</c>: 0 unless a stream of several choices sends another one's chunk.</summary>
    public int ChoiceIndex;

    /// <summary>The choices after the first in the same object (a completion of several); <see langword="null"/> for one.</summary>
    public List<OpenAIChunk>? OtherChoices;

    /// <summary>Reads a chunk (<c>delta</c>) or a whole completion (<c>message</c>) from <paramref name="json"/>.</summary>
    /// <param name="json">The chunk or completion.</param>
    /// <param name="readIds">Whether to read the id, model and creation time (a stream's first chunk and a completion).</param>
    /// <param name="readLogprobs">Whether to keep the choice's <c>logprobs</c> (only when the request asked for them: they cost an allocation).</param>
    /// <param name="toolCalls">Where <c>tool_calls</c> go; created on the first one, so text-only answers never allocate it.</param>
    /// <exception cref="JsonException">The text is not a JSON object.</exception>
    public static OpenAIChunk Parse(ReadOnlySpan<byte> json, bool readIds, bool readLogprobs, ref OpenAIToolCallAccumulator? toolCalls)
    {
        var chunk = default(OpenAIChunk);
        var reader = new Utf8JsonReader(json);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            throw new JsonException("Expected a JSON object.");
        }

        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("choices"u8))
            {
                reader.Read();
                chunk.ReadChoices(ref reader, readLogprobs, ref toolCalls);
            }
            else if (reader.ValueTextEquals("usage"u8))
            {
                reader.Read();
                chunk.ReadUsage(ref reader);
            }
            else if (readIds && reader.ValueTextEquals("id"u8))
            {
                reader.Read();
                chunk.Id = reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
            }
            else if (readIds && reader.ValueTextEquals("model"u8))
            {
                reader.Read();
                chunk.Model = reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
            }
            else if (readIds && reader.ValueTextEquals("created"u8))
            {
                reader.Read();
                chunk.Created = reader.TokenType == JsonTokenType.Number ? reader.GetInt64() : null;
            }
            else if (reader.ValueTextEquals("error"u8))
            {
                reader.Read();
                chunk.ReadError(ref reader);
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }

        return chunk;
    }

    private void ReadChoices(ref Utf8JsonReader reader, bool readLogprobs, ref OpenAIToolCallAccumulator? toolCalls)
    {
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            reader.Skip();
            return;
        }

        var first = true;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType != JsonTokenType.StartObject)
            {
                reader.Skip();
            }
            else if (first)
            {
                ReadChoice(ref reader, readLogprobs, ref toolCalls);
            }
            else
            {
                var other = default(OpenAIChunk);
                OpenAIToolCallAccumulator? notRead = null;
                other.ReadChoice(ref reader, readLogprobs, ref notRead);
                (OtherChoices ??= []).Add(other);
            }

            first = false;
        }
    }

    private void ReadChoice(ref Utf8JsonReader reader, bool readLogprobs, ref OpenAIToolCallAccumulator? toolCalls)
    {
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("index"u8))
            {
                reader.Read();
                ChoiceIndex = reader.TokenType == JsonTokenType.Number && reader.TryGetInt32(out var index) ? index : 0;
            }
            else if (reader.ValueTextEquals("delta"u8) || reader.ValueTextEquals("message"u8))
            {
                reader.Read();

                // Only choice 0's tool calls are read: the accumulator holds one answer's calls.
                ReadMessage(ref reader, readToolCalls: ChoiceIndex == 0, ref toolCalls);
            }
            else if (reader.ValueTextEquals("finish_reason"u8))
            {
                reader.Read();
                FinishReason = reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
            }
            else if (readLogprobs && reader.ValueTextEquals("logprobs"u8))
            {
                reader.Read();
                Logprobs = reader.TokenType == JsonTokenType.Null ? null : JsonElement.ParseValue(ref reader);
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }
    }

    private void ReadMessage(ref Utf8JsonReader reader, bool readToolCalls, ref OpenAIToolCallAccumulator? toolCalls)
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
            else if (readToolCalls && reader.ValueTextEquals("tool_calls"u8))
            {
                reader.Read();
                if (reader.TokenType == JsonTokenType.StartArray)
                {
                    (toolCalls ??= new OpenAIToolCallAccumulator()).Read(ref reader);
                }
                else
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
    }

    private void ReadUsage(ref Utf8JsonReader reader)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            reader.Skip();
            return;
        }

        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("prompt_tokens"u8))
            {
                reader.Read();
                PromptTokens = reader.TokenType == JsonTokenType.Number ? reader.GetInt64() : null;
            }
            else if (reader.ValueTextEquals("completion_tokens"u8))
            {
                reader.Read();
                CompletionTokens = reader.TokenType == JsonTokenType.Number ? reader.GetInt64() : null;
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }
    }

    private void ReadError(ref Utf8JsonReader reader)
    {
        if (reader.TokenType == JsonTokenType.String)
        {
            ErrorMessage = reader.GetString();
            return;
        }

        if (reader.TokenType != JsonTokenType.StartObject)
        {
            reader.Skip();
            return;
        }

        ErrorMessage = "unknown error";
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("message"u8))
            {
                reader.Read();
                ErrorMessage = reader.TokenType == JsonTokenType.String ? reader.GetString() : ErrorMessage;
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }
    }
}
