using System.Text;
using System.Text.Json;
using Gateway.AspNetCore.Internal;
using Gateway.Core.Chat;
using Gateway.Core.Errors;
using Microsoft.Extensions.AI;

namespace Gateway.AspNetCore.OpenAI;

/// <summary>Turns an OpenAI chat request into Microsoft.Extensions.AI messages and options.</summary>
internal static class OpenAIRequestMapping
{
    public static List<ChatMessage> ToMessages(List<OpenAIMessage>? messages) =>
        WireMessages.ToChatMessages(messages, static message => message.Role, static (message, role, i) => Contents(message, role, i));

    /// <summary>
    /// The request's parameters; those without a <see cref="ChatOptions"/> property of their own, and every
    /// member the gateway does not read, go in <see cref="ChatOptions.AdditionalProperties"/> by their
    /// OpenAI names (see <see cref="ChatParameterNames"/>). Defaults that ask for nothing (<c>n: 1</c>,
    /// <c>logprobs: false</c>) are left out, so no route refuses them.
    /// </summary>
    public static ChatOptions ToOptions(OpenAIChatRequest request)
    {
        var options = new ChatOptions
        {
            Temperature = request.Temperature,
            TopP = request.TopP,
            MaxOutputTokens = request.MaxCompletionTokens ?? request.MaxTokens,
            StopSequences = request.Stop,
            Seed = request.Seed,
            PresencePenalty = request.PresencePenalty,
            FrequencyPenalty = request.FrequencyPenalty,
            TopK = request.TopK,
            ResponseFormat = ToResponseFormat(request.ResponseFormat),
            Tools = OpenAIToolMapping.ToTools(request.Tools),
            ToolMode = OpenAIToolMapping.ToToolMode(request.ToolChoice),
            AllowMultipleToolCalls = request.ParallelToolCalls,
        };

        if (request.N is < 1)
        {
            throw GatewayException.InvalidField("n", "must be 1 or more (the number of choices).");
        }

        var members = new AdditionalPropertiesDictionary();
        if (request.ResponseFormat?.JsonSchema?.Strict is bool strict && options.ResponseFormat is ChatResponseFormatJson)
        {
            members[ChatParameterNames.StrictJsonSchema] = strict;
        }

        if (request.Logprobs == true)
        {
            members[ChatParameterNames.Logprobs] = true;
        }

        if (request.TopLogprobs is int topLogprobs)
        {
            members[ChatParameterNames.TopLogprobs] = topLogprobs;
        }

        if (request.User is { } user)
        {
            members[ChatParameterNames.User] = user;
        }

        if (request.N is > 1 and var n)
        {
            members[ChatParameterNames.N] = n;
        }

        foreach (var (name, value) in request.OtherMembers ?? [])
        {
            members[name] = value;
        }

        options.AdditionalProperties = members.Count > 0 ? members : null;
        return options;
    }

    private static ChatResponseFormat? ToResponseFormat(OpenAIResponseFormat? format) => format?.Type switch
    {
        null when format is null => null,
        "text" => ChatResponseFormat.Text,
        "json_object" => ChatResponseFormat.Json,
        "json_schema" => format.JsonSchema?.Schema is { ValueKind: JsonValueKind.Object } schema
            ? ChatResponseFormat.ForJsonSchema(schema, format.JsonSchema.Name, format.JsonSchema.Description)
            : throw GatewayException.InvalidField("response_format.json_schema.schema", "a JSON schema object is required with type json_schema."),
        _ => throw GatewayException.InvalidField("response_format.type", "must be text, json_object or json_schema."),
    };

    /// <summary>A tool message is its call's result; an assistant message that calls tools may have no content (<c>null</c>).</summary>
    private static IList<AIContent> Contents(OpenAIMessage message, ChatRole role, int index)
    {
        if (role == ChatRole.Tool)
        {
            return [OpenAIToolMapping.ToResult(message, ContentText(message.Content, index), index)];
        }

        if (message.ToolCalls is not { Count: > 0 } toolCalls)
        {
            return OpenAIContentParts.HasImages(message.Content)
                ? OpenAIContentParts.ToContents(message.Content, index)
                : [new TextContent(ContentText(message.Content, index))];
        }

        if (role != ChatRole.Assistant)
        {
            throw GatewayException.InvalidField($"messages[{index}].tool_calls", "only an assistant message calls tools.");
        }

        var calls = OpenAIToolMapping.ToCalls(toolCalls, index);
        if (message.Content.ValueKind is not (JsonValueKind.Undefined or JsonValueKind.Null)
            && ContentText(message.Content, index) is { Length: > 0 } text)
        {
            calls.Insert(0, new TextContent(text));
        }

        return calls;
    }

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
                    if (OpenAIContentParts.IsImagePart(part))
                    {
                        continue;
                    }

                    if (part.ValueKind != JsonValueKind.Object
                        || !part.TryGetProperty("type", out var type)
                        || type.ValueKind != JsonValueKind.String
                        || type.GetString() != "text"
                        || !part.TryGetProperty("text", out var partText)
                        || partText.ValueKind != JsonValueKind.String)
                    {
                        throw GatewayException.InvalidField($"messages[{index}].content", "only text parts ({\"type\":\"text\",\"text\":…}) and image_url parts are supported.");
                    }

                    text.Append(partText.GetString());
                }

                return text.ToString();
            default:
                throw GatewayException.InvalidField($"messages[{index}].content", "a string or an array of text parts is required.");
        }
    }
}
