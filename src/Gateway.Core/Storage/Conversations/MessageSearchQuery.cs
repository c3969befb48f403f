namespace Gateway.Core.Storage.Conversations;

/// <summary>A search request.</summary>
/// <param name="Text">What to look for, in the syntax of <see cref="SearchQuerySyntax"/>.</param>
/// <param name="Limit">Hits per page, 1 to <see cref="StorePaging.MaxLimit"/>.</param>
/// <param name="Cursor">The <c>nextCursor</c> of the previous page.</param>
/// <param name="ConversationId">Only this conversation's messages, if set.</param>
/// <param name="SpaceId">Only messages of conversations in this space, if set.</param>
public sealed record MessageSearchQuery(
    string Text,
    int Limit = 20,
    string? Cursor = null,
    string? ConversationId = null,
    string? SpaceId = null);
