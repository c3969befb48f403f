namespace Gateway.Core.Storage.Conversations;

/// <summary>A page of search hits and how they were ranked.</summary>
/// <param name="Hits">The hits of this page, best first.</param>
/// <param name="NextCursor">Pass it back for the next page; <see langword="null"/> on the last.</param>
/// <param name="CandidateLimit">How many of the newest matches were ranked by relevance.</param>
/// <param name="CandidatesTruncated">
/// <see langword="true"/> when more messages matched than <paramref name="CandidateLimit"/>: older
/// matches beyond the cap were not ranked. Narrow the query, or scope it to a conversation or space.
/// </param>
/// <param name="PendingIndexMessages">Messages written (by a bulk import) but not yet in the search index; 0 when current.</param>
public sealed record MessageSearchResults(
    IReadOnlyList<MessageSearchHit> Hits,
    string? NextCursor,
    int CandidateLimit,
    bool CandidatesTruncated,
    long PendingIndexMessages)
{
    /// <summary>Marks the start of a match inside a snippet.</summary>
    public const string MatchStart = "<mark>";

    /// <summary>Marks the end of a match inside a snippet.</summary>
    public const string MatchEnd = "</mark>";
}
