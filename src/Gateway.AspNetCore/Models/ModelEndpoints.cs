using Gateway.AspNetCore.Internal;
using Gateway.Core.Embeddings;
using Gateway.Core.Errors;
using Gateway.Core.Metrics;
using Gateway.Core.Models;
using Gateway.Core.Routing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.AspNetCore.Models;

/// <summary>
/// <c>GET /api/models</c> and <c>GET /api/models/{key}</c>: every route with its provider, model, whether
/// the allowlist permits it, the metadata its upstream last reported (cached, never fetched while the
/// request waits), its live latency, its fallbacks and each deployment's state and metadata.
/// </summary>
internal static class ModelEndpoints
{
    /// <summary>What <c>/api/models</c> says when no route is configured, so a first run explains itself.</summary>
    public const string NoRoutesHint =
        "No model route is configured. Add one with an environment variable MODEL_ROUTE_<KEY>=<provider>|<base-url>|<model>[|env:<API_KEY_VAR>], "
        + "e.g. MODEL_ROUTE_LOCAL=ollama|http://127.0.0.1:11434|llama3.2 or MODEL_ROUTE_GPT=openai|https://api.openai.com/v1|gpt-4o-mini|env:OPENAI_API_KEY, then restart.";

    public static void Map(IEndpointRouteBuilder api)
    {
        api.MapGet("/api/models", ListModels).WithName("Models").WithTags("Models")
            .Produces<ModelListBody>(StatusCodes.Status200OK);
        api.MapGet("/api/models/{key}", GetModel).WithName("Model").WithTags("Models")
            .Produces<ModelBody>(StatusCodes.Status200OK)
            .ProducesGatewayError(StatusCodes.Status404NotFound, GatewayErrorCodes.RouteNotFound);
    }

    private static JsonHttpResult<ModelListBody> ListModels(
        [FromServices] RouteTable routes,
        [FromServices] ModelMetadataCatalog catalog,
        [FromServices] ModelLatencyTracker latency,
        [FromServices] DeploymentBalancer deployments,
        [FromServices] IServiceProvider services) =>
        TypedResults.Json(
            new ModelListBody(
                routes.Routes.Select(route => Describe(route, routes, catalog, latency, deployments)).ToArray(),
                routes.Default?.Key.Value,
                routes.AllowedModels,
                routes.Routes.Count == 0 ? NoRoutesHint : null,
                DescribeEmbeddingModels(services.GetService<EmbeddingService>()?.Registry)),
            GatewayJsonContext.Default.ModelListBody);

    private static EmbeddingModelBody[] DescribeEmbeddingModels(EmbeddingModelRegistry? registry) =>
        registry is null
            ? []
            : registry.Models.Select(model => new EmbeddingModelBody(
                model.Name,
                model.Name == registry.Default.Info.Name,
                model.Dimensions,
                model.MaxInputTokens,
                model.Provider,
                model.ExecutionProvider,
                model.Source)).ToArray();

    private static JsonHttpResult<ModelBody> GetModel(
        string key,
        [FromServices] RouteTable routes,
        [FromServices] ModelMetadataCatalog catalog,
        [FromServices] ModelLatencyTracker latency,
        [FromServices] DeploymentBalancer deployments) =>
        TypedResults.Json(Describe(catalog.GetRoute(key), routes, catalog, latency, deployments), GatewayJsonContext.Default.ModelBody);

    private static ModelBody Describe(
        ModelRoute route, RouteTable routes, ModelMetadataCatalog catalog, ModelLatencyTracker latency, DeploymentBalancer deployments)
    {
        var each = catalog.GetDeployments(route);
        var metadata = each[0];
        return new ModelBody(
            route.Key.Value,
            route.Provider,
            route.Model,
            PublicEndpoint(route.Endpoint),
            routes.IsAllowed(route),
            route == routes.Default,
            Source(metadata),
            metadata.Available,
            metadata.UnavailableReason,
            metadata.CheckedAt,
            metadata.LastAvailableAt,
            Capabilities(metadata),
            Quantization(metadata),
            metadata.ContextLength,
            metadata.Details,
            Latency(latency.For(route.Key).GetSnapshot()),
            deployments.GetStatus(route).Select(status => Deployment(status, each[status.Deployment.Index])).ToArray(),
            route.Fallbacks.Select(fallback => fallback.Value).ToArray());
    }

    private static DeploymentBody Deployment(DeploymentStatus status, ModelMetadata metadata) => new(
        status.Deployment.Index,
        status.Deployment.Provider,
        PublicEndpoint(status.Deployment.Endpoint),
        status.Deployment.Model,
        status.State switch
        {
            DeploymentCircuitState.Open => "open",
            DeploymentCircuitState.HalfOpen => "half-open",
            _ => "closed",
        },
        status.OutstandingRequests,
        status.CoolingDownUntil,
        Source(metadata),
        metadata.Available,
        metadata.UnavailableReason,
        metadata.CheckedAt,
        metadata.LastAvailableAt,
        Capabilities(metadata),
        Quantization(metadata),
        metadata.ContextLength,
        metadata.Details);

    private static ModelSourceBody Source(ModelMetadata metadata) =>
        new(metadata.Source.Provider, metadata.Source.EndpointHost, metadata.Source.UpstreamModel, metadata.Source.MetadataSource);

    private static ModelCapabilitiesBody Capabilities(ModelMetadata metadata)
    {
        var capabilities = metadata.Capabilities;
        return new(capabilities.Chat, capabilities.Streaming, capabilities.Tools, capabilities.Embeddings, capabilities.Vision, metadata.CapabilitiesSource);
    }

    private static ModelQuantizationBody? Quantization(ModelMetadata metadata) =>
        metadata.Quantization is { } quantization
            ? new(quantization.Level, quantization.ParameterSize, quantization.Family, quantization.Format, metadata.QuantizationSource ?? ModelMetadataSourceNames.Configuration)
            : null;

    private static ModelLatencyBody Latency(ModelLatencySnapshot snapshot) => new(
        (int)snapshot.Window.TotalSeconds,
        snapshot.Requests,
        snapshot.Errors,
        Milliseconds(snapshot.TimeToFirstToken),
        Milliseconds(snapshot.Duration),
        snapshot.OutputTokensPerSecond is { } rate ? Math.Round(rate, 2) : null,
        snapshot.SampleLimit,
        snapshot.SampleLimitReached);

    private static PercentilesBody? Milliseconds(LatencyPercentiles? percentiles) =>
        percentiles is { } value
            ? new PercentilesBody(Math.Round(value.P50.TotalMilliseconds, 3), Math.Round(value.P95.TotalMilliseconds, 3))
            : null;

    /// <summary>The endpoint without its user-info and query parts, so credentials embedded in a URL never leak.</summary>
    private static string PublicEndpoint(string endpoint) =>
        Uri.TryCreate(endpoint, UriKind.Absolute, out var uri) && (uri.UserInfo.Length > 0 || uri.Query.Length > 0)
            ? new UriBuilder(uri) { UserName = string.Empty, Password = string.Empty, Query = string.Empty }.Uri.ToString()
            : endpoint;
}
