using Gateway.Core.Storage.Conversations;

namespace Gateway.Core.Storage.Spaces;

/// <summary>Which spaces to list, oldest (by id) first.</summary>
/// <param name="Limit">Page size, 1 to <see cref="StorePaging.MaxLimit"/>.</param>
/// <param name="Cursor">The <c>nextCursor</c> of the previous page, or <see langword="null"/> for the first.</param>
public sealed record SpaceQuery(int Limit = StorePaging.DefaultLimit, string? Cursor = null);
