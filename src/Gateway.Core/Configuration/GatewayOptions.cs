using Env = Gateway.Core.Configuration.GatewayEnvironmentVariables;

namespace Gateway.Core.Configuration;

/// <summary>
/// How the gateway routes chat and calls upstreams: the routes (their deployments and fallbacks), the
/// default route, the allowlist, upstream timeouts and retries, the deployments' cool-downs, and what <c>/api/models</c> shows about each model. Bound from the
/// <c>Gateway</c> configuration section with the flat environment variables applied over it
/// (<c>MODEL_ROUTE_*</c>, <c>DEFAULT_MODEL_KEY</c>, …); validated when the host starts, so a bad value
/// stops start-up with a message naming it. The other packages own their settings (HTTP:
/// Gateway.AspNetCore's <c>GatewayHttpOptions</c>; Redis, storage and ONNX likewise).
/// </summary>
public sealed class GatewayOptions
{
    /// <summary>The configuration section the options bind from.</summary>
    public const string SectionName = "Gateway";

    /// <summary>The model routes by route key. Keys are case-insensitive.</summary>
    public IDictionary<string, ModelRouteOptions> Routes { get; } =
        new Dictionary<string, ModelRouteOptions>(StringComparer.OrdinalIgnoreCase);

    /// <summary>The route used when a request names no model (<c>DEFAULT_MODEL_KEY</c>).</summary>
    public string? DefaultModelKey { get; set; }

    /// <summary>
    /// Upstream model ids that may be used (<c>ALLOWED_MODELS</c>, comma-separated). Empty means every
    /// configured route is allowed.
    /// </summary>
    public IList<string> AllowedModels { get; } = [];

    /// <summary>
    /// Whether a request parameter the route cannot honour (such as <c>n</c> or <c>logprobs</c> on an Ollama
    /// route) is dropped, and listed in the <c>X-Gateway-Dropped-Params</c> response header, instead of
    /// refusing the request with 400 <c>unsupported_parameter</c> (<c>DROP_UNSUPPORTED_PARAMS</c>, default off).
    /// </summary>
    public bool DropUnsupportedParameters { get; set; }

    /// <summary>The largest image a chat request may carry inline, in bytes once decoded (<c>MAX_IMAGE_BYTES</c>); the request body limit applies too.</summary>
    [WholeNumberSetting(Env.MaxImageBytes, $"{SectionName}:{nameof(MaxImageBytes)}", Minimum = 1)]
    public int MaxImageBytes { get; set; } = 10 * 1024 * 1024;

    /// <summary>The most images one chat request may carry, over all its messages (<c>MAX_IMAGES_PER_REQUEST</c>).</summary>
    [WholeNumberSetting(Env.MaxImagesPerRequest, $"{SectionName}:{nameof(MaxImagesPerRequest)}", Minimum = 0)]
    public int MaxImagesPerRequest { get; set; } = 16;

    /// <summary>Seconds allowed to open a connection to an upstream (<c>CONNECT_TIMEOUT_SECONDS</c>).</summary>
    [WholeNumberSetting(Env.ConnectTimeoutSeconds, $"{SectionName}:{nameof(ConnectTimeoutSeconds)}", Minimum = 1)]
    public int ConnectTimeoutSeconds { get; set; } = 10;

    /// <summary>Seconds an upstream may stay silent between bytes of its answer (<c>READ_TIMEOUT_SECONDS</c>).</summary>
    [WholeNumberSetting(Env.ReadTimeoutSeconds, $"{SectionName}:{nameof(ReadTimeoutSeconds)}", Minimum = 1)]
    public int ReadTimeoutSeconds { get; set; } = 120;

    /// <summary>Seconds allowed to send the request to an upstream (<c>WRITE_TIMEOUT_SECONDS</c>).</summary>
    [WholeNumberSetting(Env.WriteTimeoutSeconds, $"{SectionName}:{nameof(WriteTimeoutSeconds)}", Minimum = 1)]
    public int WriteTimeoutSeconds { get; set; } = 30;

    /// <summary>Seconds allowed for a whole upstream call, streaming included (<c>TOTAL_TIMEOUT_SECONDS</c>).</summary>
    [WholeNumberSetting(Env.TotalTimeoutSeconds, $"{SectionName}:{nameof(TotalTimeoutSeconds)}", Minimum = 1)]
    public int TotalTimeoutSeconds { get; set; } = 600;

    /// <summary>How often a failed upstream call is retried before the first byte reaches the client: connect failures, 429, 502, 503, 504 (<c>UPSTREAM_MAX_RETRIES</c>).</summary>
    [WholeNumberSetting(Env.UpstreamMaxRetries, $"{SectionName}:{nameof(UpstreamMaxRetries)}", Minimum = 0, Maximum = 10)]
    public int UpstreamMaxRetries { get; set; } = 2;

    /// <summary>The first retry's base delay in milliseconds; later ones back off exponentially, with jitter, unless <c>Retry-After</c> says otherwise (<c>UPSTREAM_RETRY_DELAY_MS</c>).</summary>
    [WholeNumberSetting(Env.UpstreamRetryDelayMilliseconds, $"{SectionName}:{nameof(UpstreamRetryDelayMilliseconds)}", Minimum = 0)]
    public int UpstreamRetryDelayMilliseconds { get; set; } = 500;

    /// <summary>
    /// How many calls of a deployment must fail in a row (connect failure, timeout, 429 or 5xx before the first byte, within 30 s)
    /// before it is taken out for a cool-down (<c>DEPLOYMENT_FAILURE_THRESHOLD</c>).
    /// </summary>
    [WholeNumberSetting(Env.DeploymentFailureThreshold, $"{SectionName}:{nameof(DeploymentFailureThreshold)}", Minimum = 2, Maximum = 1000)]
    public int DeploymentFailureThreshold { get; set; } = 3;

    /// <summary>Seconds a failing deployment is left alone before one request tries it again (<c>DEPLOYMENT_COOLDOWN_SECONDS</c>).</summary>
    [WholeNumberSetting(Env.DeploymentCooldownSeconds, $"{SectionName}:{nameof(DeploymentCooldownSeconds)}", Minimum = 1, Maximum = 86_400)]
    public int DeploymentCooldownSeconds { get; set; } = 30;

    /// <summary>
    /// Seconds between background refreshes of what upstreams report about their models (<c>/api/show</c>,
    /// <c>/v1/models</c>); the first runs at start-up. 0 turns fetching off: only configuration is shown
    /// (<c>MODEL_METADATA_REFRESH_SECONDS</c>).
    /// </summary>
    [WholeNumberSetting(Env.ModelMetadataRefreshSeconds, $"{SectionName}:{nameof(ModelMetadataRefreshSeconds)}", Minimum = 0)]
    public int ModelMetadataRefreshSeconds { get; set; } = 300;

    /// <summary>Seconds of live traffic that the per-model latency figures of <c>/api/models</c> cover (<c>MODEL_LATENCY_WINDOW_SECONDS</c>).</summary>
    [WholeNumberSetting(Env.ModelLatencyWindowSeconds, $"{SectionName}:{nameof(ModelLatencyWindowSeconds)}", Minimum = 1)]
    public int ModelLatencyWindowSeconds { get; set; } = 300;

    /// <summary>The most requests per model that the latency window keeps; older ones are dropped first (<c>MODEL_LATENCY_MAX_SAMPLES</c>).</summary>
    [WholeNumberSetting(Env.ModelLatencyMaxSamples, $"{SectionName}:{nameof(ModelLatencyMaxSamples)}", Minimum = 1, Maximum = 100_000)]
    public int ModelLatencyMaxSamples { get; set; } = 1024;
}
