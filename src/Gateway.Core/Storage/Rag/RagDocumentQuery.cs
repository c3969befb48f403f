using Gateway.Core.Storage.Conversations;

namespace Gateway.Core.Storage.Rag;

/// <summary>Which documents of a collection to list, oldest (by id) first.</summary>
/// <param name="Limit">Page size, 1 to <see cref="StorePaging.MaxLimit"/>.</param>
/// <param name="Cursor">The <c>nextCursor</c> of the previous page, or <see langword="null"/> for the first.</param>
public sealed record RagDocumentQuery(int Limit = StorePaging.DefaultLimit, string? Cursor = null);
