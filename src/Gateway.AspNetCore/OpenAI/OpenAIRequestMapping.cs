using System.Text;
using System.Text.Json;
using Gateway.AspNetCore.Internal;
using Gateway.Core.Errors;
using Microsoft.Extensions.AI;

namespace Gateway.AspNetCore.OpenAI;

/// <summary>Turns an OpenAI chat request into Microsoft.Extensions.AI messages and options.</summary>
internal static class OpenAIRequestMapping
{
    public static List<ChatMessage> ToMessages(List<OpenAIMessage>? messages) =>
        WireMessages.ToChatMessages(messages, static message => message.Role, static (message, i) => ContentText(message.Content, i));

    public static ChatOptions ToOptions(OpenAIChatRequest request) => new()
    {
        Temperature = request.Temperature,
        TopP = request.TopP,
        MaxOutputTokens = request.MaxCompletionTokens ?? request.MaxTokens,
        StopSequences = request.Stop,
    };

    private static string ContentText(JsonElement content, int index)
    {
        switch (content.ValueKind)
        {
            case JsonValueKind.String:
                return content.GetString()!;
            case JsonValueKind.Array:
                var text = new StringBuilder();
                foreach (var part in content.EnumerateArray())
                {
                    if (part.ValueKind != JsonValueKind.Object
                        || !part.TryGetProperty("type", out var type)
                        || type.ValueKind != JsonValueKind.String
                        || type.GetString() != "text"
                        || !part.TryGetProperty("text", out var partText)
                        || partText.ValueKind != JsonValueKind.String)
                    {
                        throw GatewayException.InvalidField($"messages[{index}].content", "only text content parts ({\"type\":\"text\",\"text\":…}) are supported.");
                    }

                    text.Append(partText.GetString());
                }

                return text.ToString();
            default:
                throw GatewayException.InvalidField($"messages[{index}].content", "a string or an array of text parts is required.");
        }
    }
}
