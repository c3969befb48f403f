namespace Gateway.Core.Storage.Conversations;

/// <summary>One page of a keyset-paginated listing.</summary>
/// <typeparam name="T">The item type.</typeparam>
/// <param name="Items">The items of this page.</param>
/// <param name="NextCursor">Pass it back for the next page; <see langword="null"/> on the last page.</param>
public sealed record Page<T>(IReadOnlyList<T> Items, string? NextCursor);
