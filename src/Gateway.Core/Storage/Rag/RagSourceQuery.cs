using Gateway.Core.Storage.Conversations;

namespace Gateway.Core.Storage.Rag;

/// <summary>Which sources to list, oldest (by id) first.</summary>
/// <param name="CollectionId">Only this collection's; <see langword="null"/> for every collection's.</param>
/// <param name="Limit">Page size, 1 to <see cref="StorePaging.MaxLimit"/>.</param>
/// <param name="Cursor">The <c>nextCursor</c> of the previous page, or <see langword="null"/> for the first.</param>
public sealed record RagSourceQuery(string? CollectionId, int Limit = StorePaging.DefaultLimit, string? Cursor = null);
