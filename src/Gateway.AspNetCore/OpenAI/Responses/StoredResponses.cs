using Gateway.Core.Errors;
using Gateway.Core.Storage.Conversations;
using Microsoft.Extensions.AI;

namespace Gateway.AspNetCore.OpenAI.Responses;

/// <summary>
/// A stored response read back from its conversation: the id <c>resp_&lt;conversationId&gt;_&lt;messageId&gt;</c> names
/// the turn's last input message, and the reply is what was stored under it on that branch up to the next user
/// message (the assistant's message, and each tool step when a pipeline step ran the tools).
/// </summary>
internal static class StoredResponses
{
    /// <summary>The conversation, input message and reply messages of stored response <paramref name="id"/>.</summary>
    /// <exception cref="GatewayException"><c>response_not_found</c> (404): no storage, an id of no stored response, or a turn without a stored reply.</exception>
    public static async Task<(string ConversationId, IReadOnlyList<ConversationMessage> Reply)> FindAsync(
        string id, IConversationStore? store, CancellationToken cancellationToken)
    {
        if (store is null)
        {
            throw NotFound(id, "conversation storage is not configured on this gateway (register a storage package, e.g. AddSqliteStorage()), so no response is stored.");
        }

        if (!ResponseIds.TryParseStored(id, out var conversationId, out var inputId))
        {
            throw NotFound(id, ResponseIds.IsUnstored(id) ? "it was not stored (storage was off or the request said \"store\": false)." : "it is not a response id of this gateway.");
        }

        if (await store.GetConversationAsync(conversationId, cancellationToken).ConfigureAwait(false) is null)
        {
            throw NotFound(id, "its conversation no longer exists.");
        }

        var branch = await store.GetBranchAsync(conversationId, inputId, cancellationToken).ConfigureAwait(false);
        var at = -1;
        for (var i = 0; i < branch.Count; i++)
        {
            if (branch[i].Id == inputId)
            {
                at = i;
                break;
            }
        }

        var reply = new List<ConversationMessage>();
        for (var i = at + 1; at >= 0 && i < branch.Count && branch[i].Role != ChatRole.User.Value; i++)
        {
            reply.Add(branch[i]);
        }

        return reply.Count > 0 && reply[0].Role == ChatRole.Assistant.Value
            ? (conversationId, reply)
            : throw NotFound(id, at < 0 ? "its conversation no longer has its input message." : "no reply is stored for it (it was deleted, or the turn failed before any text).");
    }

    private static GatewayException NotFound(string id, string why) => new(
        GatewayErrorKind.NotFound,
        GatewayErrorCodes.ResponseNotFound,
        $"No response '{id}': {why}");
}
