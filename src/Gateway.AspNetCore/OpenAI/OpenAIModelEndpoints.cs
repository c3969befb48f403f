using Gateway.AspNetCore.Internal;
using Gateway.Core.Chat;
using Gateway.Core.Errors;
using Gateway.Core.Routing;
using Gateway.Core.Storage.Profiles;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;

namespace Gateway.AspNetCore.OpenAI;

/// <summary>
/// <c>GET /v1/models</c> and <c>GET /v1/models/{id}</c>: every allowed route by key, then every model profile
/// whose route is allowed as <c>profile:&lt;name&gt;</c>, so OpenAI clients that pick a model can pick a profile too.
/// </summary>
internal static class OpenAIModelEndpoints
{
    public static void Map(IEndpointRouteBuilder api)
    {
        api.MapGet("/v1/models", ListModels).WithName("OpenAIModels").WithTags("OpenAI")
            .Produces<OpenAIModelList>(StatusCodes.Status200OK);
        api.MapGet("/v1/models/{id}", GetModelAsync).WithName("OpenAIModel").WithTags("OpenAI")
            .Produces<OpenAIModel>(StatusCodes.Status200OK)
            .ProducesGatewayError(StatusCodes.Status404NotFound, GatewayErrorCodes.ModelNotFound);
    }

    private static async Task<JsonHttpResult<OpenAIModelList>> ListModels(
        [FromServices] RouteTable routes, [FromServices] ChatService chat, CancellationToken cancellationToken)
    {
        var models = routes.Routes.Where(routes.IsAllowed).Select(ModelOf).ToList();
        await foreach (var profile in chat.Targets.ListNameableProfilesAsync(cancellationToken).ConfigureAwait(false))
        {
            models.Add(ModelOf(profile));
        }

        return TypedResults.Json(new OpenAIModelList("list", models), OpenAIJsonContext.Default.OpenAIModelList);
    }

    private static async Task<JsonHttpResult<OpenAIModel>> GetModelAsync(
        string id, [FromServices] RouteTable routes, [FromServices] ChatService chat, [FromServices] IModelProfileStore? profiles, CancellationToken cancellationToken)
    {
        if (id.StartsWith(ChatTargetResolver.ProfileModelPrefix, StringComparison.OrdinalIgnoreCase))
        {
            if (profiles is not null
                && await profiles.FindProfileByNameAsync(id[ChatTargetResolver.ProfileModelPrefix.Length..], cancellationToken).ConfigureAwait(false) is { } profile
                && chat.Router.Allows(profile.ModelKey))
            {
                return TypedResults.Json(ModelOf(profile), OpenAIJsonContext.Default.OpenAIModel);
            }
        }
        else if (RouteKey.TryParse(id, out var key) && routes.TryGet(key, out var route) && routes.IsAllowed(route))
        {
            return TypedResults.Json(ModelOf(route), OpenAIJsonContext.Default.OpenAIModel);
        }

        throw new GatewayException(
            GatewayErrorKind.NotFound,
            GatewayErrorCodes.ModelNotFound,
            $"The model '{id}' does not exist on this gateway: GET /v1/models lists the route keys and profile:<name> models it serves.",
            new Dictionary<string, object?> { ["field"] = "model" });
    }

    private static OpenAIModel ModelOf(ModelRoute route) => new(route.Key.Value, "model", 0, route.Provider);

    private static OpenAIModel ModelOf(ModelProfile profile) =>
        new(ChatTargetResolver.ProfileModelPrefix + profile.Name, "model", profile.CreatedAt.ToUnixTimeSeconds(), "profile");
}
