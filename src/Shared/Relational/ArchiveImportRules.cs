using System.Diagnostics.CodeAnalysis;
using Gateway.Core.Errors;
using Gateway.Core.Storage.Conversations;

namespace Gateway.Storage.Relational;

/// <summary>
/// The checks every backend's <see cref="IConversationArchive.ImportAsync"/> makes on what it is
/// handed, with the errors it answers: <see cref="GatewayErrorCodes.InvalidImport"/> naming the JSON
/// path of the problem, and saying that nothing was imported (the import's transaction rolls back).
/// </summary>
internal static class ArchiveImportRules
{
    /// <summary>The conversation of <paramref name="archived"/>, checked to have messages and a well-formed id.</summary>
    /// <param name="archived">One imported conversation.</param>
    /// <param name="path">Its JSON path, e.g. <c>conversations[3]</c>.</param>
    /// <exception cref="GatewayException"><see cref="GatewayErrorCodes.InvalidImport"/>.</exception>
    public static Conversation CheckConversation([NotNull] ArchivedConversation? archived, string path)
    {
        if (archived?.Conversation is not { } conversation || archived.Messages is null)
        {
            throw Invalid(path, "expected a conversation with its messages.");
        }

        if (!SortableId.IsWellFormed(conversation.Id))
        {
            throw Invalid($"{path}.id", $"expected a UUID, got '{conversation.Id}'.");
        }

        return conversation;
    }

    /// <summary>
    /// Whether <paramref name="message"/> is already stored (in <paramref name="known"/>, the ids of the
    /// conversation's messages so far), after checking its id and that its parent came before it.
    /// </summary>
    /// <param name="message">One imported message.</param>
    /// <param name="path">Its JSON path, e.g. <c>conversations[3].messages[2]</c>.</param>
    /// <param name="conversationId">The conversation it belongs to.</param>
    /// <param name="known">The ids of the conversation's messages stored or imported so far.</param>
    /// <exception cref="GatewayException"><see cref="GatewayErrorCodes.InvalidImport"/>.</exception>
    public static bool IsKnownMessage([NotNull] ConversationMessage? message, string path, string conversationId, IReadOnlySet<string> known)
    {
        ArgumentNullException.ThrowIfNull(known);
        if (message is null || !SortableId.IsWellFormed(message.Id))
        {
            throw Invalid($"{path}.id", $"expected a message with a UUID id, got '{message?.Id}'.");
        }

        if (known.Contains(message.Id))
        {
            return true;
        }

        if (message.ParentId is not null && !known.Contains(message.ParentId))
        {
            throw Invalid($"{path}.parentId", $"'{message.ParentId}' is not an earlier message of conversation '{conversationId}'; parents come before their children.");
        }

        return false;
    }

    /// <summary>The error for a problem at <paramref name="path"/> of the imported file.</summary>
    public static GatewayException Invalid(string path, string problem) => new(
        GatewayErrorKind.InvalidRequest,
        GatewayErrorCodes.InvalidImport,
        $"{path}: {problem} Nothing was imported.",
        new Dictionary<string, object?> { ["path"] = path });

    /// <summary>A store rule's error (a bad role, metadata that is not an object) as the import's error.</summary>
    public static GatewayException AsInvalidImport(GatewayException error)
    {
        ArgumentNullException.ThrowIfNull(error);
        return new(GatewayErrorKind.InvalidRequest, GatewayErrorCodes.InvalidImport, error.Message + " Nothing was imported.", error.Extensions, error);
    }
}
