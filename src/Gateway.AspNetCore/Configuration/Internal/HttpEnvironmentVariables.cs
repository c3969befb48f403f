using Gateway.Core.Configuration;

namespace Gateway.AspNetCore.Configuration.Internal;

/// <summary>The flat environment variables of <see cref="GatewayHttpOptions"/> (see <c>.env.example</c>) and the keys they stand for.</summary>
internal static class HttpEnvironmentVariables
{
    public const string ApiKeys = "GATEWAY_API_KEYS";
    public const string RateLimitPerMinute = "RATE_LIMIT_PER_MIN";
    public const string MaxRequestBodyBytes = "MAX_REQUEST_BODY_BYTES";
    public const string MaxImportBytes = "MAX_IMPORT_BYTES";
    public const string SseHeartbeatSeconds = "SSE_HEARTBEAT_SECONDS";
    public const string MetricsPath = "METRICS_PATH";
    public const string MetricsRequireKey = "METRICS_REQUIRE_KEY";

    /// <summary>The HTTP variables, mapped onto the <c>Gateway:Http</c> section.</summary>
    public static GatewayEnvironmentMap Map { get; } = new GatewayEnvironmentMap()
        .List(ApiKeys, Key(nameof(GatewayHttpOptions.ApiKeys)))
        .Number(RateLimitPerMinute, Key(nameof(GatewayHttpOptions.RateLimitPerMinute)))
        .Number(MaxRequestBodyBytes, Key(nameof(GatewayHttpOptions.MaxRequestBodyBytes)))
        .Number(MaxImportBytes, Key(nameof(GatewayHttpOptions.MaxImportBytes)))
        .Number(SseHeartbeatSeconds, Key(nameof(GatewayHttpOptions.SseHeartbeatSeconds)))
        .Text(MetricsPath, Key(nameof(GatewayHttpOptions.MetricsPath)))
        .Flag(MetricsRequireKey, Key(nameof(GatewayHttpOptions.MetricsRequireKey)));

    private static string Key(string property) => $"{GatewayHttpOptions.SectionName}:{property}";
}
