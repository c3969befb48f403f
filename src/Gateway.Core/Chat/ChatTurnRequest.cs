using Gateway.Core.Chat.Retrieval;
using Microsoft.Extensions.AI;

namespace Gateway.Core.Chat;

/// <summary>
/// One chat turn as a caller asks for it. With <see cref="ConversationId"/>, <see cref="Messages"/>
/// are the new messages of the turn (usually one user message) and the history comes from the store;
/// without it, <see cref="Messages"/> are the whole history and, when storage is configured and
/// <see cref="Persist"/> is on, a new conversation is created for them.
/// </summary>
/// <param name="ModelKey">The route key, or <see langword="null"/> for the default route.</param>
/// <param name="Messages">The new messages (with a conversation) or the whole history (without).</param>
/// <param name="Options">Sampling parameters.</param>
/// <param name="ConversationId">The stored conversation the turn continues.</param>
/// <param name="ParentId">
/// Continue from this message instead of the active leaf: the history ends at it and the turn's
/// messages become its children. With no new messages this regenerates the reply to it.
/// </param>
/// <param name="Persist">Whether to store the turn's messages and reply; <see langword="false"/> reads history only.</param>
/// <param name="ProfileId">The model profile to talk through: its system prompt is prepended and its parameters apply unless <paramref name="Options"/> sets them.</param>
/// <param name="SpaceId">
/// The space the turn belongs to: a new conversation is created in it, and with no model key or profile
/// the space's default (or only linked) profile applies. A stored conversation's own space applies when this is unset.
/// </param>
/// <param name="Retrieval">
/// What the turn retrieves from the user's documents: <see langword="null"/> retrieves from the space's
/// collections when it has any, <see cref="ChatRetrievalRequest.Off"/> retrieves nothing.
/// </param>
public sealed record ChatTurnRequest(
    string? ModelKey,
    IReadOnlyList<ChatMessage> Messages,
    ChatOptions? Options = null,
    string? ConversationId = null,
    string? ParentId = null,
    bool Persist = true,
    string? ProfileId = null,
    string? SpaceId = null,
    ChatRetrievalRequest? Retrieval = null);
