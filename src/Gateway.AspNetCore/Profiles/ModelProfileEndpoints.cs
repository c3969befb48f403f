using Gateway.AspNetCore.Internal;
using Gateway.Core.Errors;
using Gateway.Core.Storage.Conversations;
using Gateway.Core.Storage.Profiles;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;

namespace Gateway.AspNetCore.Profiles;

/// <summary><c>/api/model-profiles</c>: create, list (keyset pages, oldest first), read, replace and delete model profiles.</summary>
internal static class ModelProfileEndpoints
{
    public static void Map(IEndpointRouteBuilder api)
    {
        var profiles = api.MapGroup("/api/model-profiles");
        profiles.MapPost(string.Empty, CreateAsync).WithName("CreateModelProfile");
        profiles.MapGet(string.Empty, ListAsync).WithName("ListModelProfiles");
        profiles.MapGet("/{profileId}", GetAsync).WithName("GetModelProfile");
        profiles.MapPut("/{profileId}", ReplaceAsync).WithName("ReplaceModelProfile");
        profiles.MapDelete("/{profileId}", DeleteAsync).WithName("DeleteModelProfile");
    }

    private static async Task<Created<ModelProfile>> CreateAsync(HttpContext context, [FromServices] ModelProfileService profiles)
    {
        var definition = await ReadDefinitionAsync(context).ConfigureAwait(false);
        var profile = await profiles.CreateAsync(definition, context.RequestAborted).ConfigureAwait(false);
        return TypedResults.Created($"/api/model-profiles/{profile.Id}", profile);
    }

    private static async Task<Ok<Page<ModelProfile>>> ListAsync(HttpContext context, [FromServices] IModelProfileStore store)
    {
        var query = new ProfileQuery(
            QueryParameters.Int(context.Request, "limit", StorePaging.DefaultLimit),
            QueryParameters.String(context.Request, "cursor"));
        return TypedResults.Ok(await store.ListProfilesAsync(query, context.RequestAborted).ConfigureAwait(false));
    }

    private static async Task<Ok<ModelProfile>> GetAsync(string profileId, HttpContext context, [FromServices] IModelProfileStore store) =>
        TypedResults.Ok(await store.GetProfileAsync(profileId, context.RequestAborted).ConfigureAwait(false)
            ?? throw ModelProfileRules.ProfileNotFound(profileId));

    private static async Task<Ok<ModelProfile>> ReplaceAsync(string profileId, HttpContext context, [FromServices] ModelProfileService profiles)
    {
        var definition = await ReadDefinitionAsync(context).ConfigureAwait(false);
        return TypedResults.Ok(await profiles.UpdateAsync(profileId, definition, context.RequestAborted).ConfigureAwait(false)
            ?? throw ModelProfileRules.ProfileNotFound(profileId));
    }

    private static async Task<NoContent> DeleteAsync(string profileId, HttpContext context, [FromServices] IModelProfileStore store) =>
        await store.DeleteProfileAsync(profileId, context.RequestAborted).ConfigureAwait(false)
            ? TypedResults.NoContent()
            : throw ModelProfileRules.ProfileNotFound(profileId);

    private static async Task<ModelProfileDefinition> ReadDefinitionAsync(HttpContext context)
    {
        var body = await JsonRequestReader.ReadAsync(context, GatewayJsonContext.Default.ModelProfileBody).ConfigureAwait(false);
        return new ModelProfileDefinition(
            body.Name ?? throw GatewayException.InvalidField("name", "a profile name is required."),
            body.ModelKey ?? throw GatewayException.InvalidField("modelKey", "the route key the profile talks through is required."),
            body.SystemPrompt,
            body.Temperature,
            body.TopP,
            body.MaxTokens,
            body.Stop,
            body.ContextWindow,
            body.Metadata);
    }
}
