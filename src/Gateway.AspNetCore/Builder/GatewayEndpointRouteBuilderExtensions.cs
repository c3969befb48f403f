using Gateway.AspNetCore.Authentication;
using Gateway.AspNetCore.Authentication.Internal;
using Gateway.AspNetCore.Chat;
using Gateway.AspNetCore.Configuration;
using Gateway.AspNetCore.Configuration.Internal;
using Gateway.AspNetCore.Conversations;
using Gateway.AspNetCore.Embeddings;
using Gateway.AspNetCore.Files;
using Gateway.AspNetCore.Health;
using Gateway.AspNetCore.Internal;
using Gateway.AspNetCore.Metrics;
using Gateway.AspNetCore.Models;
using Gateway.AspNetCore.OpenAI;
using Gateway.AspNetCore.OpenAI.Responses;
using Gateway.AspNetCore.Profiles;
using Gateway.AspNetCore.Rag;
using Gateway.AspNetCore.RateLimiting;
using Gateway.AspNetCore.Spaces;
using Gateway.Core.Chat;
using Gateway.Core.Embeddings;
using Gateway.Core.Errors;
using Gateway.Core.Storage.Conversations;
using Gateway.Core.Storage.Profiles;
using Gateway.Core.Storage.Rag;
using Gateway.Core.Storage.Spaces;
using Gateway.Rag;
using Gateway.Rag.Sandbox;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Microsoft.AspNetCore.Builder;

/// <summary>Maps the gateway's HTTP API.</summary>
public static partial class GatewayEndpointRouteBuilderExtensions
{
    /// <summary>
    /// Maps the gateway's endpoints: <c>/api/chat</c>, <c>/api/chat/stream</c>, <c>/api/models</c>,
    /// the OpenAI-compatible <c>/v1/chat/completions</c>, <c>/v1/responses</c>, <c>/v1/models</c> and <c>/v1/models/{id}</c>, <c>/health</c>, and the
    /// Prometheus metrics at <c>METRICS_PATH</c> (<c>/metrics</c>); with a storage package registered also
    /// <c>/api/conversations</c> (CRUD, messages, export, import), <c>/api/search</c>,
    /// <c>/api/model-profiles</c> and <c>/api/spaces</c>; with an embedding package registered
    /// (e.g. <c>AddOnnxEmbeddings()</c>) also <c>/api/embeddings</c> and <c>/v1/embeddings</c>; with <c>AddRag()</c>
    /// and a storage package also <c>/api/rag/collections</c> (collections and their documents), <c>/api/rag/search</c>
    /// and <c>/api/spaces/{id}/collections</c>; with <c>AddFileSandbox()</c> also <c>/api/files/roots</c>, <c>/api/files</c>
    /// and <c>/api/files/content</c> (the read-only file sandbox).
    /// Every endpoint but <c>/health</c> and the metrics (unless <c>METRICS_REQUIRE_KEY</c> is set)
    /// requires the authorization policy <see cref="GatewayAuthorizationDefaults.PolicyName"/>: an API key from
    /// <c>GATEWAY_API_KEYS</c> (without keys only loopback clients are served) or the host's default scheme.
    /// Every error is an RFC 9457 problem with an <c>errorCode</c>; under <c>/v1</c> it carries OpenAI's
    /// <c>error</c> object too, unknown paths and methods included.
    /// Requires <c>services.AddGateway().AddHttpApi()</c>. Validates the options of every package first:
    /// a bad setting throws an <see cref="OptionsValidationException"/> listing every problem of its
    /// options (an <see cref="AggregateException"/> of them when several packages' options fail).
    /// </summary>
    /// <returns>A builder for conventions that apply to all the gateway's endpoints.</returns>
    public static IEndpointConventionBuilder MapGateway(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var services = endpoints.ServiceProvider;
        var registered = services.GetRequiredService<IServiceProviderIsService>();
        if (!registered.IsService(typeof(ChatService)))
        {
            throw new InvalidOperationException("MapGateway() needs the gateway's services: call services.AddGateway().AddHttpApi() first.");
        }

        if (!registered.IsService(typeof(HttpApiMarker)))
        {
            throw new InvalidOperationException("MapGateway() needs the HTTP API's services: call AddHttpApi() on the gateway builder (services.AddGateway().AddHttpApi()).");
        }

        // Mapping reads the HTTP options; every package's options are checked first, so a bad
        // setting is reported together with all the others, as at start-up.
        services.GetService<IStartupValidator>()?.Validate();
        var httpOptions = services.GetRequiredService<IOptions<GatewayHttpOptions>>();
        var options = httpOptions.Value;
        var apiKeys = services.GetRequiredService<ApiKeyValidator>();
        var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger("Gateway.AspNetCore");
        if (!apiKeys.KeysConfigured)
        {
            LogNoApiKeys(logger);
        }

        var gateway = endpoints.MapGroup(string.Empty)
            .ProducesGatewayError(StatusCodes.Status500InternalServerError, GatewayErrorCodes.InternalError);
        HealthEndpoints.Map(gateway);

        var api = gateway.MapGroup(string.Empty)
            .RequireAuthorization(GatewayAuthorizationDefaults.PolicyName)
            .ProducesGatewayError(StatusCodes.Status401Unauthorized, GatewayErrorCodes.Unauthenticated)
            .ProducesGatewayError(StatusCodes.Status403Forbidden, GatewayErrorCodes.LoopbackOnly, GatewayErrorCodes.Forbidden)
            .ProducesGatewayError(StatusCodes.Status429TooManyRequests, GatewayErrorCodes.RateLimited);
        var rateLimited = options.RateLimitPerMinute > 0;
        if (rateLimited)
        {
            api.RequireRateLimiting(GatewayRateLimiterDefaults.PolicyName);
        }

        api.AddEndpointFilter(new GatewayEndpointFilter(rateLimited, services.GetRequiredService<ILogger<GatewayEndpointFilter>>()));

        // Bodies and query values bind with the gateway's JSON and errors (GatewayBindingRouteBuilder):
        // the gateway's own API in camelCase, the OpenAI surface in OpenAI's snake_case.
        var gatewayApi = GatewayBindingRouteBuilder.MapGroup(api, GatewayJsonContext.Default);
        var openAI = GatewayBindingRouteBuilder.MapGroup(api, OpenAIJsonContext.Default);
        ChatEndpoints.Map(gatewayApi);
        ModelEndpoints.Map(gatewayApi);
        OpenAIEndpoints.Map(openAI);
        OpenAIModelEndpoints.Map(openAI);
        ResponsesEndpoints.Map(GatewayBindingRouteBuilder.MapGroup(api, ResponsesJsonContext.Default));
        OpenAIFallbackEndpoint.Map(openAI);
        // Only whether each is registered: handlers take their services per request, so mapping never
        // opens a database or loads a model before the host starts.
        if (registered.IsService(typeof(IConversationStore)))
        {
            var storage = gatewayApi.MapGroup(string.Empty)
                .ProducesGatewayError(StatusCodes.Status503ServiceUnavailable, GatewayErrorCodes.StorageBusy);
            ConversationEndpoints.Map(storage);
            ConversationArchiveEndpoints.Map(storage);
            SearchEndpoints.Map(storage);
        }

        if (registered.IsService(typeof(IModelProfileStore)))
        {
            ModelProfileEndpoints.Map(gatewayApi.MapGroup(string.Empty)
                .ProducesGatewayError(StatusCodes.Status503ServiceUnavailable, GatewayErrorCodes.StorageBusy));
        }

        if (registered.IsService(typeof(ISpaceStore)))
        {
            SpaceEndpoints.Map(gatewayApi.MapGroup(string.Empty)
                .ProducesGatewayError(StatusCodes.Status503ServiceUnavailable, GatewayErrorCodes.StorageBusy));
        }

        if (registered.IsService(typeof(RagService)) && registered.IsService(typeof(IRagCollectionStore)))
        {
            RagCollectionEndpoints.Map(gatewayApi.MapGroup(string.Empty)
                .ProducesGatewayError(StatusCodes.Status503ServiceUnavailable, GatewayErrorCodes.StorageBusy));
        }

        if (registered.IsService(typeof(FileSandbox)))
        {
            FileEndpoints.Map(gatewayApi);
        }

        if (registered.IsService(typeof(EmbeddingService)))
        {
            EmbeddingEndpoints.Map(gatewayApi);
            OpenAIEmbeddingEndpoints.Map(openAI);
        }

        MetricsEndpoints.Map(options.MetricsRequireKey ? api : gateway, options.MetricsPath);
        return gateway;
    }

    [LoggerMessage(
        Level = LogLevel.Warning,
        Message = "GATEWAY_API_KEYS is not set: the gateway requires no API key and serves loopback clients only. Set GATEWAY_API_KEYS before exposing it.")]
    private static partial void LogNoApiKeys(ILogger logger);
}
