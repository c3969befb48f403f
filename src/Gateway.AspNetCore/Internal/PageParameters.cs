using Gateway.Core.Storage.Conversations;
using Microsoft.AspNetCore.Mvc;

namespace Gateway.AspNetCore.Internal;

/// <summary>The query of a keyset-paged list: <c>?limit=</c> and the <c>?cursor=</c> the previous page returned.</summary>
internal sealed record PageParameters(
    [FromQuery(Name = "limit")] int? Limit,
    [FromQuery(Name = "cursor")] string? Cursor)
{
    public int LimitOrDefault => Limit ?? StorePaging.DefaultLimit;

    /// <summary>An empty <c>?cursor=</c> asks for the first page, like none.</summary>
    public string? CursorOrNull => string.IsNullOrEmpty(Cursor) ? null : Cursor;
}
