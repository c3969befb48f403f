using System.Text.Json;
using Gateway.Core.Chat;
using Microsoft.Extensions.AI;

namespace Gateway.Core.Providers.Ollama;

/// <summary>
/// What Ollama's native <c>/api/chat</c> honours beyond sampling: <c>format</c> (<c>"json"</c> for JSON
/// mode, the schema itself for structured output), and the penalties, seed and stop in its <c>options</c>.
/// It makes one answer per request, reports no log probabilities in OpenAI's form, takes no end-user id
/// and cannot be made to call a tool, and request members it does not know are not forwarded.
/// </summary>
internal static class OllamaRequestParameters
{
    public static ChatParameterSupport Support { get; } = new(
        [ChatParameterNames.N, ChatParameterNames.Logprobs, ChatParameterNames.TopLogprobs, ChatParameterNames.User, ChatParameterNames.ToolChoice],
        forwardsOtherMembers: false);

    public static void WriteFormat(Utf8JsonWriter writer, ChatOptions? options)
    {
        if (options?.ResponseFormat is not ChatResponseFormatJson json)
        {
            return;
        }

        if (json.Schema is { } schema)
        {
            writer.WritePropertyName("format");
            schema.WriteTo(writer);
        }
        else
        {
            writer.WriteString("format", "json");
        }
    }
}
