namespace Gateway.Core.Storage.Conversations;

/// <summary>Which messages of a conversation to list, oldest first.</summary>
/// <param name="Limit">Page size, 1 to <see cref="StorePaging.MaxLimit"/>.</param>
/// <param name="Cursor">The <c>nextCursor</c> of the previous page, or <see langword="null"/> for the first.</param>
/// <param name="Branch">
/// <see langword="null"/>: the active branch. A message id: the branch through that message (its
/// ancestors, then its newest descendants). <see cref="AllBranches"/>: every message.
/// </param>
public sealed record MessageQuery(int Limit = StorePaging.DefaultLimit, string? Cursor = null, string? Branch = null)
{
    /// <summary>The <see cref="Branch"/> value that lists every message of every branch.</summary>
    public const string AllBranches = "all";
}
