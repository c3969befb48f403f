using Gateway.AspNetCore.Internal;
using Gateway.Core.Errors;
using Gateway.Core.Storage.Conversations;
using Gateway.Core.Storage.Spaces;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;

namespace Gateway.AspNetCore.Spaces;

/// <summary>
/// <c>/api/spaces</c>: create, list (keyset pages, oldest first), read, replace and delete spaces, and
/// link, unlink and list their model profiles. Deleting a space that holds conversations needs
/// <c>?cascade=true</c> (delete them too) or <c>?detach=true</c> (keep them, in no space).
/// </summary>
internal static class SpaceEndpoints
{
    public static void Map(IEndpointRouteBuilder api)
    {
        var spaces = api.MapGroup("/api/spaces").WithTags("Spaces");
        spaces.MapPost(string.Empty, CreateAsync).WithName("CreateSpace")
            .ProducesGatewayError(StatusCodes.Status404NotFound, GatewayErrorCodes.ProfileNotFound)
            .ProducesGatewayError(StatusCodes.Status409Conflict, GatewayErrorCodes.SpaceNameTaken);
        spaces.MapGet(string.Empty, ListAsync).WithName("ListSpaces")
            .ProducesGatewayError(StatusCodes.Status400BadRequest, GatewayErrorCodes.InvalidCursor);
        spaces.MapGet("/{spaceId}", GetAsync).WithName("GetSpace")
            .ProducesGatewayError(StatusCodes.Status404NotFound, GatewayErrorCodes.SpaceNotFound);
        spaces.MapPut("/{spaceId}", ReplaceAsync).WithName("ReplaceSpace")
            .ProducesGatewayError(StatusCodes.Status404NotFound, GatewayErrorCodes.SpaceNotFound, GatewayErrorCodes.ProfileNotFound)
            .ProducesGatewayError(StatusCodes.Status409Conflict, GatewayErrorCodes.SpaceNameTaken);
        spaces.MapDelete("/{spaceId}", DeleteAsync).WithName("DeleteSpace")
            .ProducesGatewayError(StatusCodes.Status404NotFound, GatewayErrorCodes.SpaceNotFound)
            .ProducesGatewayError(StatusCodes.Status409Conflict, GatewayErrorCodes.SpaceNotEmpty);
        spaces.MapGet("/{spaceId}/profiles", ListProfilesAsync).WithName("ListSpaceProfiles")
            .ProducesGatewayError(StatusCodes.Status404NotFound, GatewayErrorCodes.SpaceNotFound);
        spaces.MapPut("/{spaceId}/profiles/{profileId}", LinkProfileAsync).WithName("LinkSpaceProfile")
            .ProducesGatewayError(StatusCodes.Status404NotFound, GatewayErrorCodes.SpaceNotFound, GatewayErrorCodes.ProfileNotFound);
        spaces.MapDelete("/{spaceId}/profiles/{profileId}", UnlinkProfileAsync).WithName("UnlinkSpaceProfile")
            .ProducesGatewayError(StatusCodes.Status404NotFound, GatewayErrorCodes.SpaceNotFound, GatewayErrorCodes.ProfileNotFound);
    }

    private static async Task<Created<Space>> CreateAsync(
        [FromBody] SpaceBody body, [FromServices] SpaceService spaces, CancellationToken cancellationToken)
    {
        var space = await spaces.Store.CreateSpaceAsync(body.ToDefinition(), cancellationToken).ConfigureAwait(false);
        return TypedResults.Created($"/api/spaces/{space.Id}", space);
    }

    private static async Task<Ok<Page<Space>>> ListAsync(
        [AsParameters] PageParameters page, [FromServices] SpaceService spaces, CancellationToken cancellationToken) =>
        TypedResults.Ok(await spaces.Store.ListSpacesAsync(new SpaceQuery(page.LimitOrDefault, page.CursorOrNull), cancellationToken).ConfigureAwait(false));

    private static async Task<Results<Ok<Space>, ProblemHttpResult>> GetAsync(
        string spaceId, HttpContext context, [FromServices] SpaceService spaces, CancellationToken cancellationToken) =>
        await spaces.Store.GetSpaceAsync(spaceId, cancellationToken).ConfigureAwait(false) is { } space
            ? TypedResults.Ok(space)
            : GatewayProblems.Result(context, SpaceRules.SpaceNotFound(spaceId));

    private static async Task<Results<Ok<Space>, ProblemHttpResult>> ReplaceAsync(
        string spaceId, [FromBody] SpaceBody body, HttpContext context, [FromServices] SpaceService spaces, CancellationToken cancellationToken) =>
        await spaces.Store.UpdateSpaceAsync(spaceId, body.ToDefinition(), cancellationToken).ConfigureAwait(false) is { } space
            ? TypedResults.Ok(space)
            : GatewayProblems.Result(context, SpaceRules.SpaceNotFound(spaceId));

    private static async Task<Results<NoContent, ProblemHttpResult>> DeleteAsync(
        string spaceId, [AsParameters] SpaceDeletionParameters parameters, HttpContext context, [FromServices] SpaceService spaces, CancellationToken cancellationToken) =>
        await spaces.Store.DeleteSpaceAsync(spaceId, parameters.ToDeletion(), cancellationToken).ConfigureAwait(false)
            ? TypedResults.NoContent()
            : GatewayProblems.Result(context, SpaceRules.SpaceNotFound(spaceId));

    private static async Task<Ok<LinkedProfilesBody>> ListProfilesAsync(
        string spaceId, [FromServices] SpaceService spaces, CancellationToken cancellationToken) =>
        TypedResults.Ok(new LinkedProfilesBody(await spaces.Store.ListLinkedProfilesAsync(spaceId, cancellationToken).ConfigureAwait(false)));

    private static async Task<NoContent> LinkProfileAsync(
        string spaceId, string profileId, [FromServices] SpaceService spaces, CancellationToken cancellationToken)
    {
        await spaces.Store.LinkProfileAsync(spaceId, profileId, cancellationToken).ConfigureAwait(false);
        return TypedResults.NoContent();
    }

    private static async Task<NoContent> UnlinkProfileAsync(
        string spaceId, string profileId, [FromServices] SpaceService spaces, CancellationToken cancellationToken)
    {
        await spaces.UnlinkProfileAsync(spaceId, profileId, cancellationToken).ConfigureAwait(false);
        return TypedResults.NoContent();
    }
}
