namespace Gateway.Core.Storage.Conversations;

/// <summary>One message that matched a search.</summary>
/// <param name="ConversationId">Its conversation.</param>
/// <param name="MessageId">The message.</param>
/// <param name="Role">Its chat role.</param>
/// <param name="Snippet">
/// An excerpt with each match wrapped in <see cref="MessageSearchResults.MatchStart"/> and
/// <see cref="MessageSearchResults.MatchEnd"/>. The message text in it is HTML-escaped (<c>&amp;</c>, <c>&lt;</c>,
/// <c>&gt;</c>, quotes), so the markers are its only markup and it can be shown as HTML as it is.
/// </param>
/// <param name="Score">Relevance, higher is better (the negated bm25 rank).</param>
/// <param name="CreatedAt">When the message was written.</param>
public sealed record MessageSearchHit(
    string ConversationId,
    string MessageId,
    string Role,
    string Snippet,
    double Score,
    DateTimeOffset CreatedAt);
