namespace Gateway.Core.Storage.Conversations;

/// <summary>Which conversations to list, newest first.</summary>
/// <param name="Limit">Page size, 1 to <see cref="StorePaging.MaxLimit"/>.</param>
/// <param name="Cursor">The <c>nextCursor</c> of the previous page, or <see langword="null"/> for the first.</param>
/// <param name="SpaceId">Only this space's conversations, if set.</param>
/// <param name="Archived">Only archived (<see langword="true"/>) or only active (<see langword="false"/>) ones; both when <see langword="null"/>.</param>
public sealed record ConversationQuery(
    int Limit = StorePaging.DefaultLimit,
    string? Cursor = null,
    string? SpaceId = null,
    bool? Archived = false);
