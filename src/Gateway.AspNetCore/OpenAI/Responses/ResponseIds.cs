using System.Diagnostics.CodeAnalysis;
using Gateway.Core.Errors;
using Gateway.Core.Storage.Conversations;

namespace Gateway.AspNetCore.OpenAI.Responses;

/// <summary>
/// Response ids. A stored response is a turn of a stored conversation, and its id says where:
/// <c>resp_&lt;conversationId&gt;_&lt;messageId&gt;</c>, the message being the turn's last input message, under
/// which the reply is stored (known before the reply starts, so a stream's first event carries the final id).
/// A response that is not stored is <c>resp_</c> and a fresh UUIDv7 in hex. Both are ASCII letters, digits,
/// <c>-</c> and <c>_</c>: safe in URLs and JSON.
/// </summary>
internal static class ResponseIds
{
    private const string Prefix = "resp_";

    public static string Stored(string conversationId, string messageId) => $"{Prefix}{conversationId}_{messageId}";

    public static string Unstored() => Prefix + Guid.CreateVersion7().ToString("N");

    /// <summary>The stored turn a <c>previous_response_id</c> names.</summary>
    /// <exception cref="GatewayException">The id is malformed, or names a response that was not stored.</exception>
    public static (string ConversationId, string MessageId) ParseStored(string id)
    {
        if (!TryParseStored(id, out var conversationId, out var messageId))
        {
            throw GatewayException.InvalidField(
                "previous_response_id",
                IsUnstored(id)
                    ? $"'{id}' was not stored (storage was off or the request said \"store\": false), so there is nothing to continue."
                    : $"'{id}' is not a response id of this gateway.");
        }

        return (conversationId, messageId);
    }

    /// <summary>Whether <paramref name="id"/> has the form of a response that was not stored (<c>resp_</c> and a UUID in hex).</summary>
    public static bool IsUnstored(string id) =>
        id.Length > Prefix.Length && id.StartsWith(Prefix, StringComparison.Ordinal) && id.IndexOf('_', Prefix.Length) < 0;

    /// <summary>The conversation and input message a stored response's id names; <see langword="false"/> for any other id.</summary>
    public static bool TryParseStored(string id, [NotNullWhen(true)] out string? conversationId, [NotNullWhen(true)] out string? messageId)
    {
        conversationId = messageId = null;
        if (!id.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return false;
        }

        var rest = id[Prefix.Length..];
        var separator = rest.IndexOf('_', StringComparison.Ordinal);
        if (separator <= 0 || !SortableId.IsWellFormed(rest[..separator]) || !SortableId.IsWellFormed(rest[(separator + 1)..]))
        {
            return false;
        }

        conversationId = rest[..separator];
        messageId = rest[(separator + 1)..];
        return true;
    }
}
