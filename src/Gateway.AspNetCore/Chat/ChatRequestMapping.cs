using Gateway.Core.Errors;
using Microsoft.Extensions.AI;

namespace Gateway.AspNetCore.Chat;

/// <summary>Turns the chat API's wire shapes into Microsoft.Extensions.AI messages and options.</summary>
internal static class ChatRequestMapping
{
    public static List<ChatMessage> ToMessages(List<ChatMessageBody>? messages)
    {
        if (messages is null)
        {
            throw GatewayException.InvalidField("messages", "at least one message is required.");
        }

        var result = new List<ChatMessage>(messages.Count);
        for (var i = 0; i < messages.Count; i++)
        {
            var message = messages[i] ?? throw GatewayException.InvalidField($"messages[{i}]", "a message object is required.");
            if (string.IsNullOrWhiteSpace(message.Role))
            {
                throw GatewayException.InvalidField($"messages[{i}].role", "a role (system, user or assistant) is required.");
            }

            if (message.Content is null)
            {
                throw GatewayException.InvalidField($"messages[{i}].content", "a content string is required.");
            }

            result.Add(new ChatMessage(new ChatRole(message.Role.Trim().ToLowerInvariant()), message.Content));
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
                StopSequences = options.Stop,
            };

    public static ChatUsageBody ToUsage(UsageDetails? usage) => new(usage?.InputTokenCount, usage?.OutputTokenCount);
}
