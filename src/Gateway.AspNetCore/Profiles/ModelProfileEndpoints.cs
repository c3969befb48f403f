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
        var profiles = api.MapGroup("/api/model-profiles").WithTags("Model profiles");
        profiles.MapPost(string.Empty, CreateAsync).WithName("CreateModelProfile")
            .ProducesRouteErrors()
            .ProducesGatewayError(StatusCodes.Status409Conflict, GatewayErrorCodes.ProfileNameTaken);
        profiles.MapGet(string.Empty, ListAsync).WithName("ListModelProfiles")
            .ProducesGatewayError(StatusCodes.Status400BadRequest, GatewayErrorCodes.InvalidCursor);
        profiles.MapGet("/{profileId}", GetAsync).WithName("GetModelProfile")
            .ProducesGatewayError(StatusCodes.Status404NotFound, GatewayErrorCodes.ProfileNotFound);
        profiles.MapPut("/{profileId}", ReplaceAsync).WithName("ReplaceModelProfile")
            .ProducesRouteErrors()
            .ProducesGatewayError(StatusCodes.Status404NotFound, GatewayErrorCodes.ProfileNotFound)
            .ProducesGatewayError(StatusCodes.Status409Conflict, GatewayErrorCodes.ProfileNameTaken);
        profiles.MapDelete("/{profileId}", DeleteAsync).WithName("DeleteModelProfile")
            .ProducesGatewayError(StatusCodes.Status404NotFound, GatewayErrorCodes.ProfileNotFound);
    }

    private static async Task<Created<ModelProfile>> CreateAsync(
        [FromBody] ModelProfileBody body, [FromServices] ModelProfileService profiles, CancellationToken cancellationToken)
    {
        var profile = await profiles.CreateAsync(body.ToDefinition(), cancellationToken).ConfigureAwait(false);
        return TypedResults.Created($"/api/model-profiles/{profile.Id}", profile);
    }

    private static async Task<Ok<Page<ModelProfile>>> ListAsync(
        [AsParameters] PageParameters page, [FromServices] ModelProfileService profiles, CancellationToken cancellationToken) =>
        TypedResults.Ok(await profiles.Store.ListProfilesAsync(new ProfileQuery(page.LimitOrDefault, page.CursorOrNull), cancellationToken).ConfigureAwait(false));

    private static async Task<Results<Ok<ModelProfile>, ProblemHttpResult>> GetAsync(
        string profileId, HttpContext context, [FromServices] ModelProfileService profiles, CancellationToken cancellationToken) =>
        await profiles.Store.GetProfileAsync(profileId, cancellationToken).ConfigureAwait(false) is { } profile
            ? TypedResults.Ok(profile)
            : GatewayProblems.Result(context, ModelProfileRules.ProfileNotFound(profileId));

    private static async Task<Results<Ok<ModelProfile>, ProblemHttpResult>> ReplaceAsync(
        string profileId, [FromBody] ModelProfileBody body, HttpContext context, [FromServices] ModelProfileService profiles, CancellationToken cancellationToken) =>
        await profiles.UpdateAsync(profileId, body.ToDefinition(), cancellationToken).ConfigureAwait(false) is { } profile
            ? TypedResults.Ok(profile)
            : GatewayProblems.Result(context, ModelProfileRules.ProfileNotFound(profileId));

    private static async Task<Results<NoContent, ProblemHttpResult>> DeleteAsync(
        string profileId, HttpContext context, [FromServices] ModelProfileService profiles, CancellationToken cancellationToken) =>
        await profiles.Store.DeleteProfileAsync(profileId, cancellationToken).ConfigureAwait(false)
            ? TypedResults.NoContent()
            : GatewayProblems.Result(context, ModelProfileRules.ProfileNotFound(profileId));
}
