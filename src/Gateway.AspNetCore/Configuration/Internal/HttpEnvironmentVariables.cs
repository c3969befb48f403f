namespace Gateway.AspNetCore.Configuration.Internal;

/// <summary>The flat environment variable names of <see cref="GatewayHttpOptions"/> (see <c>.env.example</c>).</summary>
internal static class HttpEnvironmentVariables
{
    public const string ApiKeys = "GATEWAY_API_KEYS";

    public const string RateLimitPerMinute = "RATE_LIMIT_PER_MIN";

    public const string MaxRequestBodyBytes = "MAX_REQUEST_BODY_BYTES";

    public const string MaxImportBytes = "MAX_IMPORT_BYTES";

    public const string SseHeartbeatSeconds = "SSE_HEARTBEAT_SECONDS";

    public const string MetricsPath = "METRICS_PATH";

    public const string MetricsRequireKey = "METRICS_REQUIRE_KEY";
}
