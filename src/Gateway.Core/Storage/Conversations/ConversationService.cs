using Gateway.Core.Errors;
using Gateway.Core.Storage.Spaces;

namespace Gateway.Core.Storage.Conversations;

/// <summary>
/// Writes conversations the way the gateway allows them across its stores: a conversation created in a
/// space, or moved into one, needs that space to exist when spaces are stored
/// (<see cref="GatewayErrorCodes.SpaceNotFound"/>, 404, naming <c>spaceId</c>); moving a conversation
/// out of its space (an empty <c>spaceId</c>) needs nothing, and without a space store a space id is kept
/// as given. Every caller outside the store writes conversations through this service; a chat turn
/// checks its space while resolving its target (<see cref="Chat.ChatTargetResolver"/>) before
/// <see cref="Chat.ChatService"/> stores anything.
/// </summary>
/// <param name="store">The conversations.</param>
/// <param name="spaces">The spaces, when a storage package stores them.</param>
public sealed class ConversationService(IConversationStore store, ISpaceStore? spaces = null)
{
    /// <summary>The store behind the service, for reads and for the writes no other store has a say in.</summary>
    public IConversationStore Store { get; } = store ?? throw new ArgumentNullException(nameof(store));

    /// <summary>Creates a conversation after checking that its space exists.</summary>
    /// <exception cref="GatewayException">The space does not exist, or the store rejected a field.</exception>
    public async Task<Conversation> CreateAsync(NewConversation conversation, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(conversation);
        await EnsureSpaceExistsAsync(conversation.SpaceId, cancellationToken).ConfigureAwait(false);
        return await Store.CreateConversationAsync(conversation, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Patches a conversation after checking that the space it moves into exists;
    /// <see langword="null"/> when the conversation does not exist.
    /// </summary>
    /// <exception cref="GatewayException">The space does not exist, or the store rejected a field.</exception>
    public async Task<Conversation?> UpdateAsync(string conversationId, ConversationPatch patch, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(patch);
        var movesInto = string.IsNullOrEmpty(patch.SpaceId) ? null : patch.SpaceId;
        await EnsureSpaceExistsAsync(movesInto, cancellationToken).ConfigureAwait(false);
        return await Store.UpdateConversationAsync(conversationId, patch, cancellationToken).ConfigureAwait(false);
    }

    private async Task EnsureSpaceExistsAsync(string? spaceId, CancellationToken cancellationToken)
    {
        if (spaces is not null && spaceId is not null
            && await spaces.GetSpaceAsync(spaceId, cancellationToken).ConfigureAwait(false) is null)
        {
            throw SpaceRules.SpaceNotFound(spaceId);
        }
    }
}
