using Gateway.AspNetCore.Internal;
using Gateway.Core.Storage.Conversations;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;

namespace Gateway.AspNetCore.Conversations;

/// <summary><c>GET /api/search</c>: full-text search over stored messages.</summary>
internal static class SearchEndpoints
{
    public static void Map(IEndpointRouteBuilder api) =>
        api.MapGet("/api/search", SearchAsync).WithName("SearchMessages");

    private static async Task<Ok<MessageSearchResults>> SearchAsync(HttpContext context, [FromServices] IMessageSearch search)
    {
        var request = context.Request;
        var query = new MessageSearchQuery(
            QueryParameters.String(request, "q") ?? string.Empty,
            QueryParameters.Int(request, "limit", 20),
            QueryParameters.String(request, "cursor"),
            QueryParameters.String(request, "conversationId"),
            QueryParameters.String(request, "spaceId"));
        return TypedResults.Ok(await search.SearchAsync(query, context.RequestAborted).ConfigureAwait(false));
    }
}
