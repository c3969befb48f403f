using Gateway.Core.Errors;
using Microsoft.Extensions.AI;

namespace Gateway.AspNetCore.Internal;

/// <summary>
/// Turns a request's list of wire messages into Microsoft.Extensions.AI messages, naming the first
/// missing piece by its path. Each surface says how to read a message's role and its text, or its
/// contents (text, tool calls, a tool result).
/// </summary>
internal static class WireMessages
{
    public static List<ChatMessage> ToChatMessages<T>(List<T>? messages, Func<T, string?> role, Func<T, int, string> text)
        where T : class =>
        ToChatMessages(messages, role, (message, _, i) => [new TextContent(text(message, i))]);

    public static List<ChatMessage> ToChatMessages<T>(
        List<T>? messages, Func<T, string?> role, Func<T, ChatRole, int, IList<AIContent>> contents)
        where T : class
    {
        if (messages is null)
        {
            throw GatewayException.InvalidField("messages", "at least one message is required.");
        }

        var result = new List<ChatMessage>(messages.Count);
        for (var i = 0; i < messages.Count; i++)
        {
            var message = messages[i] ?? throw GatewayException.InvalidField($"messages[{i}]", "a message object is required.");
            var name = role(message);
            if (string.IsNullOrWhiteSpace(name))
            {
                throw GatewayException.InvalidField($"messages[{i}].role", "a role (system, user, assistant or tool) is required.");
            }

            var chatRole = new ChatRole(Normalise(name));
            result.Add(new ChatMessage(chatRole, contents(message, chatRole, i)));
        }

        return result;
    }

    /// <summary>Roles are case-insensitive; OpenAI's newer <c>developer</c> role means <c>system</c>.</summary>
    private static string Normalise(string role) =>
        role.Trim().ToLowerInvariant() is var lower && lower == "developer" ? "system" : lower;
}
