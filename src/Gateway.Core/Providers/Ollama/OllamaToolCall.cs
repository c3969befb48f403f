using System.Text.Json;

namespace Gateway.Core.Providers.Ollama;

/// <summary>
/// One tool call of an Ollama answer. Ollama sends each call whole (a stream never splits one), its
/// <c>arguments</c> a JSON object, and older versions no id.
/// </summary>
/// <param name="Id">The call's id, when Ollama sent one.</param>
/// <param name="Name">The function called.</param>
/// <param name="Arguments">The arguments as the text of a JSON object.</param>
internal readonly record struct OllamaToolCall(string? Id, string Name, string Arguments)
{
    /// <summary>Reads <c>message.tool_calls</c>, the reader on the value's first token.</summary>
    /// <exception cref="JsonException">A call names no function, or its arguments are neither an object nor text.</exception>
    public static List<OllamaToolCall>? ReadAll(ref Utf8JsonReader reader)
    {
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            reader.Skip();
            return null;
        }

        List<OllamaToolCall>? calls = null;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            (calls ??= []).Add(Read(ref reader));
        }

        return calls;
    }

    private static OllamaToolCall Read(ref Utf8JsonReader reader)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw new JsonException("A tool call is not a JSON object.");
        }

        string? id = null, name = null, arguments = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("id"u8))
            {
                reader.Read();
                id = reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
                reader.Skip();
            }
            else if (reader.ValueTextEquals("function"u8))
            {
                reader.Read();
                ReadFunction(ref reader, ref name, ref arguments);
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }

        return string.IsNullOrEmpty(name)
            ? throw new JsonException("A tool call names no function.")
            : new OllamaToolCall(string.IsNullOrEmpty(id) ? null : id, name, arguments ?? "{}");
    }

    private static void ReadFunction(ref Utf8JsonReader reader, ref string? name, ref string? arguments)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            reader.Skip();
            return;
        }

        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("name"u8))
            {
                reader.Read();
                name = reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
                reader.Skip();
            }
            else if (reader.ValueTextEquals("arguments"u8))
            {
                reader.Read();
                arguments = ReadArguments(ref reader);
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }
    }

    private static string ReadArguments(ref Utf8JsonReader reader)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.StartObject:
                using (var arguments = JsonDocument.ParseValue(ref reader))
                {
                    return arguments.RootElement.GetRawText();
                }

            // Ollama's OpenAI-flavoured relatives send the object's text.
            case JsonTokenType.String:
                return reader.GetString()!;
            case JsonTokenType.Null:
                return "{}";
            default:
                throw new JsonException("Tool call arguments are neither a JSON object nor text.");
        }
    }
}
