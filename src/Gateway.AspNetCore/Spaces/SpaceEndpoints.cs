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
        var spaces = api.MapGroup("/api/spaces");
        spaces.MapPost(string.Empty, CreateAsync).WithName("CreateSpace");
        spaces.MapGet(string.Empty, ListAsync).WithName("ListSpaces");
        spaces.MapGet("/{spaceId}", GetAsync).WithName("GetSpace");
        spaces.MapPut("/{spaceId}", ReplaceAsync).WithName("ReplaceSpace");
        spaces.MapDelete("/{spaceId}", DeleteAsync).WithName("DeleteSpace");
        spaces.MapGet("/{spaceId}/profiles", ListProfilesAsync).WithName("ListSpaceProfiles");
        spaces.MapPut("/{spaceId}/profiles/{profileId}", LinkProfileAsync).WithName("LinkSpaceProfile");
        spaces.MapDelete("/{spaceId}/profiles/{profileId}", UnlinkProfileAsync).WithName("UnlinkSpaceProfile");
    }

    private static async Task<Created<Space>> CreateAsync(HttpContext context, [FromServices] ISpaceStore store)
    {
        var definition = await ReadDefinitionAsync(context).ConfigureAwait(false);
        var space = await store.CreateSpaceAsync(definition, context.RequestAborted).ConfigureAwait(false);
        return TypedResults.Created($"/api/spaces/{space.Id}", space);
    }

    private static async Task<Ok<Page<Space>>> ListAsync(HttpContext context, [FromServices] ISpaceStore store)
    {
        var query = new SpaceQuery(
            QueryParameters.Int(context.Request, "limit", StorePaging.DefaultLimit),
            QueryParameters.String(context.Request, "cursor"));
        return TypedResults.Ok(await store.ListSpacesAsync(query, context.RequestAborted).ConfigureAwait(false));
    }

    private static async Task<Ok<Space>> GetAsync(string spaceId, HttpContext context, [FromServices] ISpaceStore store) =>
        TypedResults.Ok(await store.GetSpaceAsync(spaceId, context.RequestAborted).ConfigureAwait(false)
            ?? throw SpaceRules.SpaceNotFound(spaceId));

    private static async Task<Ok<Space>> ReplaceAsync(string spaceId, HttpContext context, [FromServices] ISpaceStore store)
    {
        var definition = await ReadDefinitionAsync(context).ConfigureAwait(false);
        return TypedResults.Ok(await store.UpdateSpaceAsync(spaceId, definition, context.RequestAborted).ConfigureAwait(false)
            ?? throw SpaceRules.SpaceNotFound(spaceId));
    }

    private static async Task<NoContent> DeleteAsync(string spaceId, HttpContext context, [FromServices] ISpaceStore store)
    {
        var cascade = QueryParameters.Bool(context.Request, "cascade");
        var detach = QueryParameters.Bool(context.Request, "detach");
        if (cascade && detach)
        {
            throw GatewayException.InvalidField("cascade", "choose one of cascade=true (delete the space's conversations) or detach=true (keep them in no space), not both.");
        }

        var deletion = cascade ? SpaceDeletion.DeleteConversations
            : detach ? SpaceDeletion.DetachConversations
            : SpaceDeletion.RefuseIfConversations;
        return await store.DeleteSpaceAsync(spaceId, deletion, context.RequestAborted).ConfigureAwait(false)
            ? TypedResults.NoContent()
            : throw SpaceRules.SpaceNotFound(spaceId);
    }

    private static async Task<Ok<LinkedProfilesBody>> ListProfilesAsync(string spaceId, HttpContext context, [FromServices] ISpaceStore store) =>
        TypedResults.Ok(new LinkedProfilesBody(await store.ListLinkedProfilesAsync(spaceId, context.RequestAborted).ConfigureAwait(false)));

    private static async Task<NoContent> LinkProfileAsync(string spaceId, string profileId, HttpContext context, [FromServices] ISpaceStore store)
    {
        await store.LinkProfileAsync(spaceId, profileId, context.RequestAborted).ConfigureAwait(false);
        return TypedResults.NoContent();
    }

    private static async Task<NoContent> UnlinkProfileAsync(string spaceId, string profileId, HttpContext context, [FromServices] ISpaceStore store)
    {
        if (await store.UnlinkProfileAsync(spaceId, profileId, context.RequestAborted).ConfigureAwait(false))
        {
            return TypedResults.NoContent();
        }

        // Not linked: say whether the space exists at all, so the 404 names the right thing.
        _ = await store.GetSpaceAsync(spaceId, context.RequestAborted).ConfigureAwait(false) ?? throw SpaceRules.SpaceNotFound(spaceId);
        throw new GatewayException(
            GatewayErrorKind.NotFound,
            GatewayErrorCodes.ProfileNotFound,
            $"profileId: no profile with the id '{profileId}' is linked to space '{spaceId}'.",
            new Dictionary<string, object?> { ["spaceId"] = spaceId, ["profileId"] = profileId, ["field"] = "profileId" });
    }

    private static async Task<SpaceDefinition> ReadDefinitionAsync(HttpContext context)
    {
        var body = await JsonRequestReader.ReadAsync(context, GatewayJsonContext.Default.SpaceBody).ConfigureAwait(false);
        return new SpaceDefinition(
            body.Name ?? throw GatewayException.InvalidField("name", "a space name is required."),
            body.Description,
            body.DefaultProfileId,
            body.Metadata);
    }
}
