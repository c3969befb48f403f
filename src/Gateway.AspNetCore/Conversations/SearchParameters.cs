using Gateway.Core.Storage.Conversations;
using Microsoft.AspNetCore.Mvc;

namespace Gateway.AspNetCore.Conversations;

/// <summary>The query of <c>GET /api/search</c>: the search text <c>q</c>, a keyset page, and optional scopes.</summary>
internal sealed record SearchParameters(
    [FromQuery(Name = "q")] string? Q,
    [FromQuery(Name = "limit")] int? Limit,
    [FromQuery(Name = "cursor")] string? Cursor,
    [FromQuery(Name = "conversationId")] string? ConversationId,
    [FromQuery(Name = "spaceId")] string? SpaceId)
{
    /// <summary>Search pages are 20 hits unless asked otherwise.</summary>
    public const int DefaultLimit = 20;

    public MessageSearchQuery ToQuery() => new(
        Q ?? string.Empty,
        Limit ?? DefaultLimit,
        NullIfEmpty(Cursor),
        NullIfEmpty(ConversationId),
        NullIfEmpty(SpaceId));

    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;
}
