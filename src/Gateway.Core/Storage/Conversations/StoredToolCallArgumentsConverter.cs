using System.Text.Json;
using System.Text.Json.Serialization;

namespace Gateway.Core.Storage.Conversations;

/// <summary>
/// A stored tool call's <see cref="StoredToolCall.Arguments"/> in JSON: written as the JSON object their text
/// is, the way <c>/api/chat</c> shows a call's arguments, and read back from such an object or from a string
/// holding its text (as the API and the archive wrote them before).
/// </summary>
internal sealed class StoredToolCallArgumentsConverter : JsonConverter<string>
{
    public override string Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.String)
        {
            return reader.GetString()!;
        }

        using var document = JsonDocument.ParseValue(ref reader);
        return document.RootElement.GetRawText();
    }

    public override void Write(Utf8JsonWriter writer, string value, JsonSerializerOptions options) => WriteArguments(writer, value);

    /// <summary>
    /// Writes <paramref name="arguments"/> as the object they are, their text as stored; text that is no JSON
    /// object (which no store accepts) as a string, so a reader still sees what was there.
    /// </summary>
    public static void WriteArguments(Utf8JsonWriter writer, string arguments)
    {
        if (ConversationStoreRules.IsJsonObject(arguments))
        {
            writer.WriteRawValue(arguments, skipInputValidation: true);
        }
        else
        {
            writer.WriteStringValue(arguments);
        }
    }
}
