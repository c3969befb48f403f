using Gateway.Core.Errors;
using Microsoft.Extensions.AI;

namespace Gateway.AspNetCore.Internal;

/// <summary>
/// Turns a request's list of wire messages into Microsoft.Extensions.AI messages, naming the first
/// missing piece by its path. Each surface says how to read a message's role and text.
/// </summary>
internal static class WireMessages
{
    public static List<ChatMessage> ToChatMessages<T>(List<T>? messages, Func<T, string?> role, Func<T, int, string> text)
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
                throw GatewayException.InvalidField($"messages[{i}].role", "a role (system, user or assistant) is required.");
            }

            result.Add(new ChatMessage(new ChatRole(Normalise(name)), text(message, i)));
        }

        return result;
    }

    /// <summary>Roles are case-insensitive; OpenAI's newer <c>developer</c> role means <c>system</c>.</summary>
    private static string Normalise(string role) =>
        role.Trim().ToLowerInvariant() is var lower && lower == "developer" ? "system" : lower;
}
