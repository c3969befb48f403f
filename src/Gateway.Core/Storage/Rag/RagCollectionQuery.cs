using Gateway.Core.Storage.Conversations;

namespace Gateway.Core.Storage.Rag;

/// <summary>Which collections to list, oldest (by id) first.</summary>
/// <param name="Limit">Page size, 1 to <see cref="StorePaging.MaxLimit"/>.</param>
/// <param name="Cursor">The <c>nextCursor</c> of the previous page, or <see langword="null"/> for the first.</param>
/// <param name="SpaceId">Only the collections that belong to this space, when set.</param>
public sealed record RagCollectionQuery(int Limit = StorePaging.DefaultLimit, string? Cursor = null, string? SpaceId = null);
