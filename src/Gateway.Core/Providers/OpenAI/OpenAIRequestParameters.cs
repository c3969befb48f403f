using System.Text.Json;
using Gateway.Core.Chat;
using Gateway.Core.Internal;
using Microsoft.Extensions.AI;

namespace Gateway.Core.Providers.OpenAI;

/// <summary>
/// The request members an OpenAI-compatible upstream gets beyond sampling: <c>response_format</c>,
/// the penalties, and every member of <see cref="ChatOptions.AdditionalProperties"/> (<c>logprobs</c>,
/// <c>user</c>, <c>n</c>, and whatever else a client sent), written unchanged.
/// </summary>
internal static class OpenAIRequestParameters
{
    /// <summary>
    /// What the provider honours: everything, <c>n</c> included (every choice is relayed, see <see cref="ChatChoices"/>),
    /// and members it does not know are forwarded.
    /// </summary>
    public static ChatParameterSupport Support { get; } = new([], forwardsOtherMembers: true);

    public static void Write(Utf8JsonWriter writer, ChatOptions? options)
    {
        if (options is null)
        {
            return;
        }

        WriteResponseFormat(writer, options);
        UpstreamChatParameters.WritePenalties(writer, options);
        if (options.AdditionalProperties is not { Count: > 0 } members)
        {
            return;
        }

        foreach (var (name, value) in members)
        {
            if (name == ChatParameterNames.StrictJsonSchema)
            {
                continue;
            }

            writer.WritePropertyName(name);
            switch (value)
            {
                case null:
                    writer.WriteNullValue();
                    break;
                case JsonElement element:
                    element.WriteTo(writer);
                    break;
                default:
                    JsonSerializer.Serialize(writer, value, AIJsonUtilities.DefaultOptions.GetTypeInfo(value.GetType()));
                    break;
            }
        }
    }

    private static void WriteResponseFormat(Utf8JsonWriter writer, ChatOptions options)
    {
        switch (options.ResponseFormat)
        {
            case ChatResponseFormatText:
                writer.WriteStartObject("response_format");
                writer.WriteString("type", "text");
                writer.WriteEndObject();
                break;
            case ChatResponseFormatJson { Schema: null }:
                writer.WriteStartObject("response_format");
                writer.WriteString("type", "json_object");
                writer.WriteEndObject();
                break;
            case ChatResponseFormatJson { Schema: { } schema } json:
                writer.WriteStartObject("response_format");
                writer.WriteString("type", "json_schema");
                writer.WriteStartObject("json_schema");
                writer.WriteString("name", json.SchemaName ?? "response");
                if (json.SchemaDescription is { } description)
                {
                    writer.WriteString("description", description);
                }

                writer.WritePropertyName("schema");
                schema.WriteTo(writer);
                if (options.AdditionalProperties?.TryGetValue(ChatParameterNames.StrictJsonSchema, out var strict) == true && strict is bool isStrict)
                {
                    writer.WriteBoolean("strict", isStrict);
                }

                writer.WriteEndObject();
                writer.WriteEndObject();
                break;
        }
    }
}
