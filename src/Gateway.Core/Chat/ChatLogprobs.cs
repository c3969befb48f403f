using System.Text.Json;
using Microsoft.Extensions.AI;

namespace Gateway.Core.Chat;

/// <summary>
/// The log probabilities an upstream reported for a choice's tokens when the request asked for them
/// (<see cref="ChatParameterNames.Logprobs"/>): OpenAI's choice <c>logprobs</c> object, kept as it came, in
/// <see cref="ChatResponse.AdditionalProperties"/> of a completion and in
/// <see cref="ChatResponseUpdate.AdditionalProperties"/> of the streamed update whose text they describe.
/// </summary>
public static class ChatLogprobs
{
    /// <summary>The key of the log probabilities in the additional properties.</summary>
    public const string PropertyName = ChatParameterNames.Logprobs;

    /// <summary>The log probabilities of <paramref name="response"/>'s choice, when it carries them.</summary>
    public static JsonElement? Get(ChatResponse response)
    {
        ArgumentNullException.ThrowIfNull(response);
        return Read(response.AdditionalProperties);
    }

    /// <summary>The log probabilities of <paramref name="update"/>'s text, when it carries them.</summary>
    public static JsonElement? Get(ChatResponseUpdate update)
    {
        ArgumentNullException.ThrowIfNull(update);
        return Read(update.AdditionalProperties);
    }

    /// <summary>Whether <paramref name="options"/> ask for log probabilities (<c>logprobs: true</c>).</summary>
    public static bool Requested(ChatOptions? options) =>
        options?.AdditionalProperties?.TryGetValue(PropertyName, out var value) == true
        && value switch
        {
            bool asked => asked,
            JsonElement { ValueKind: JsonValueKind.True } => true,
            _ => false,
        };

    internal static void Set(AdditionalPropertiesDictionary properties, JsonElement logprobs) => properties[PropertyName] = logprobs;

    private static JsonElement? Read(AdditionalPropertiesDictionary? properties) =>
        properties?.TryGetValue(PropertyName, out var value) == true && value is JsonElement logprobs ? logprobs : null;
}
