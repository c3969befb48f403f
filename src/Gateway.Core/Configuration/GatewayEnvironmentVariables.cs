using Gateway.Core.Configuration.Internal;

namespace Gateway.Core.Configuration;

/// <summary>The flat environment variables of <see cref="GatewayOptions"/> (see <c>.env.example</c>) and the keys they stand for.</summary>
internal static class GatewayEnvironmentVariables
{
    /// <summary>Prefix of a route variable: <c>MODEL_ROUTE_&lt;KEY&gt;=&lt;provider&gt;|&lt;base-url&gt;|&lt;model&gt;[|env:&lt;API_KEY_VAR&gt;]</c>, several deployments separated by <c>;</c>.</summary>
    public const string ModelRoutePrefix = "MODEL_ROUTE_";

    /// <summary>Prefix of a route's capabilities: <c>MODEL_CAPABILITIES_&lt;KEY&gt;=chat,streaming,tools</c>.</summary>
    public const string ModelCapabilitiesPrefix = "MODEL_CAPABILITIES_";

    /// <summary>Prefix of a route's fallbacks: <c>MODEL_FALLBACKS_&lt;KEY&gt;=&lt;key2&gt;,&lt;key3&gt;</c>.</summary>
    public const string ModelFallbacksPrefix = "MODEL_FALLBACKS_";

    public const string DefaultModelKey = "DEFAULT_MODEL_KEY";
    public const string AllowedModels = "ALLOWED_MODELS";
    public const string ConnectTimeoutSeconds = "CONNECT_TIMEOUT_SECONDS";
    public const string ReadTimeoutSeconds = "READ_TIMEOUT_SECONDS";
    public const string WriteTimeoutSeconds = "WRITE_TIMEOUT_SECONDS";
    public const string TotalTimeoutSeconds = "TOTAL_TIMEOUT_SECONDS";
    public const string UpstreamMaxRetries = "UPSTREAM_MAX_RETRIES";
    public const string UpstreamRetryDelayMilliseconds = "UPSTREAM_RETRY_DELAY_MS";
    public const string DeploymentFailureThreshold = "DEPLOYMENT_FAILURE_THRESHOLD";
    public const string DeploymentCooldownSeconds = "DEPLOYMENT_COOLDOWN_SECONDS";
    public const string ModelMetadataRefreshSeconds = "MODEL_METADATA_REFRESH_SECONDS";
    public const string ModelLatencyWindowSeconds = "MODEL_LATENCY_WINDOW_SECONDS";
    public const string ModelLatencyMaxSamples = "MODEL_LATENCY_MAX_SAMPLES";
    public const string DropUnsupportedParameters = "DROP_UNSUPPORTED_PARAMS";
    public const string MaxImageBytes = "MAX_IMAGE_BYTES";
    public const string MaxImagesPerRequest = "MAX_IMAGES_PER_REQUEST";

    /// <summary>Where the routes live in the gateway configuration.</summary>
    public const string RoutesKey = $"{GatewayOptions.SectionName}:{nameof(GatewayOptions.Routes)}";

    /// <summary>Core's variables, mapped onto the <c>Gateway</c> section.</summary>
    public static GatewayEnvironmentMap Map { get; } = new GatewayEnvironmentMap()
        .Add(new ModelRouteRule())
        .Add(new RouteListRule(ModelCapabilitiesPrefix, nameof(ModelRouteOptions.Capabilities)))
        .Add(new RouteListRule(ModelFallbacksPrefix, nameof(ModelRouteOptions.Fallbacks)))
        .Text(DefaultModelKey, Key(nameof(GatewayOptions.DefaultModelKey)))
        .List(AllowedModels, Key(nameof(GatewayOptions.AllowedModels)))
        .Number(ConnectTimeoutSeconds, Key(nameof(GatewayOptions.ConnectTimeoutSeconds)))
        .Number(ReadTimeoutSeconds, Key(nameof(GatewayOptions.ReadTimeoutSeconds)))
        .Number(WriteTimeoutSeconds, Key(nameof(GatewayOptions.WriteTimeoutSeconds)))
        .Number(TotalTimeoutSeconds, Key(nameof(GatewayOptions.TotalTimeoutSeconds)))
        .Number(UpstreamMaxRetries, Key(nameof(GatewayOptions.UpstreamMaxRetries)))
        .Number(UpstreamRetryDelayMilliseconds, Key(nameof(GatewayOptions.UpstreamRetryDelayMilliseconds)))
        .Number(DeploymentFailureThreshold, Key(nameof(GatewayOptions.DeploymentFailureThreshold)))
        .Number(DeploymentCooldownSeconds, Key(nameof(GatewayOptions.DeploymentCooldownSeconds)))
        .Number(ModelMetadataRefreshSeconds, Key(nameof(GatewayOptions.ModelMetadataRefreshSeconds)))
        .Number(ModelLatencyWindowSeconds, Key(nameof(GatewayOptions.ModelLatencyWindowSeconds)))
        .Number(ModelLatencyMaxSamples, Key(nameof(GatewayOptions.ModelLatencyMaxSamples)))
        .Flag(DropUnsupportedParameters, Key(nameof(GatewayOptions.DropUnsupportedParameters)))
        .Number(MaxImageBytes, Key(nameof(GatewayOptions.MaxImageBytes)))
        .Number(MaxImagesPerRequest, Key(nameof(GatewayOptions.MaxImagesPerRequest)));

    private static string Key(string property) => $"{GatewayOptions.SectionName}:{property}";
}
