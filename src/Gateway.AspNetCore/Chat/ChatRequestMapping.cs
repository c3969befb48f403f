using Gateway.AspNetCore.Internal;
using System.Text.Json;
using Gateway.Core.Chat;
using Gateway.Core.Errors;
using Microsoft.Extensions.AI;

namespace Gateway.AspNetCore.Chat;

/// <summary>Turns the chat API's wire shapes into Microsoft.Extensions.AI messages and options.</summary>
internal static class ChatRequestMapping
{
    /// <param name="messages">The request's messages.</param>
    /// <param name="required">Whether the request must carry messages; a turn of a stored conversation may carry none (a regeneration).</param>
    public static List<ChatMessage> ToMessages(List<ChatMessageBody>? messages, bool required = true)
    {
        if (messages is null && !required)
        {
            return [];
        }

        var result = WireMessages.ToChatMessages(
            messages,
            static message => message.Role,
            static (message, i) => message.Content
                ?? (message.ToolCalls is { Count: > 0 } ? string.Empty : throw GatewayException.InvalidField($"messages[{i}].content", "a content string is required.")));
        for (var i = 0; i < result.Count; i++)
        {
            ChatToolMapping.AddTo(result[i], messages![i], i);
            var images = messages[i].Images ?? [];
            for (var j = 0; j < images.Count; j++)
            {
                result[i].Contents.Add(ImageUrls.ToContent(images[j], $"messages[{i}].images[{j}]"));
            }
        }

        return result;
    }

    public static ChatOptions? ToOptions(ChatOptionsBody? options) =>
        options is null
            ? null
            : new ChatOptions
            {
                Temperature = options.Temperature,
                TopP = options.TopP,
                MaxOutputTokens = options.MaxTokens,
                TopK = options.TopK,
                Seed = options.Seed,
                StopSequences = options.Stop,
                PresencePenalty = options.PresencePenalty,
                FrequencyPenalty = options.FrequencyPenalty,
                ResponseFormat = ToResponseFormat(options.ResponseFormat),
                AdditionalProperties = options.ResponseFormat?.Strict is bool strict && options.ResponseFormat.Schema is not null
                    ? new AdditionalPropertiesDictionary { [ChatParameterNames.StrictJsonSchema] = strict }
                    : null,
            };

    private static ChatResponseFormat? ToResponseFormat(ChatResponseFormatBody? format) => format switch
    {
        null => null,
        { Type: "text" } => ChatResponseFormat.Text,
        { Type: "json", Schema: null } => ChatResponseFormat.Json,
        { Type: "json", Schema: { ValueKind: JsonValueKind.Object } schema } => ChatResponseFormat.ForJsonSchema(schema, format.SchemaName, format.SchemaDescription),
        { Type: "json" } => throw GatewayException.InvalidField("options.responseFormat.schema", "must be a JSON schema object."),
        _ => throw GatewayException.InvalidField("options.responseFormat.type", "must be text or json."),
    };

    public static ChatUsageBody ToUsage(UsageDetails? usage) => new(usage?.InputTokenCount, usage?.OutputTokenCount);
}
