using Gateway.AspNetCore.Internal;
using Gateway.Core.Errors;
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
        api.MapGet("/api/search", SearchAsync).WithName("SearchMessages").WithTags("Conversations")
            .ProducesGatewayError(StatusCodes.Status400BadRequest, GatewayErrorCodes.InvalidSearchQuery, GatewayErrorCodes.InvalidCursor);

    private static async Task<Ok<MessageSearchResults>> SearchAsync(
        [AsParameters] SearchParameters parameters, [FromServices] IMessageSearch search, CancellationToken cancellationToken) =>
        TypedResults.Ok(await search.SearchAsync(parameters.ToQuery(), cancellationToken).ConfigureAwait(false));
}
