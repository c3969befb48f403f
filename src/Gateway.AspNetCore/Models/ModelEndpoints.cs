using Gateway.AspNetCore.Internal;
using Gateway.Core.Routing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;

namespace Gateway.AspNetCore.Models;

/// <summary><c>GET /api/models</c>: every route with its provider, model and whether the allowlist permits it.</summary>
internal static class ModelEndpoints
{
    /// <summary>What <c>/api/models</c> says when no route is configured, so a first run explains itself.</summary>
    public const string NoRoutesHint =
        "No model route is configured. Add one with an environment variable MODEL_ROUTE_<KEY>=<provider>|<base-url>|<model>[|env:<API_KEY_VAR>], "
        + "e.g. MODEL_ROUTE_LOCAL=ollama|http://127.0.0.1:11434|llama3.2 or MODEL_ROUTE_GPT=openai|https://api.openai.com/v1|gpt-4o-mini|env:OPENAI_API_KEY, then restart.";

    public static void Map(IEndpointRouteBuilder api) =>
        api.MapGet("/api/models", ListModels).WithName("Models");

    private static JsonHttpResult<ModelListBody> ListModels([FromServices] RouteTable routes) =>
        TypedResults.Json(
            new ModelListBody(
                routes.Routes.Select(route => new ModelBody(
                    route.Key.Value,
                    route.Provider,
                    route.Model,
                    PublicEndpoint(route.Endpoint),
                    routes.IsAllowed(route),
                    route == routes.Default)).ToArray(),
                routes.Default?.Key.Value,
                routes.AllowedModels,
                routes.Routes.Count == 0 ? NoRoutesHint : null),
            GatewayJsonContext.Default.ModelListBody);

    /// <summary>The endpoint without any user-info part, so credentials embedded in a URL never leak.</summary>
    private static string PublicEndpoint(string endpoint) =>
        Uri.TryCreate(endpoint, UriKind.Absolute, out var uri) && uri.UserInfo.Length > 0
            ? new UriBuilder(uri) { UserName = string.Empty, Password = string.Empty }.Uri.ToString()
            : endpoint;
}
