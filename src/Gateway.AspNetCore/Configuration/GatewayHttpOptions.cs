using Gateway.Core.Configuration;
using Env = Gateway.AspNetCore.Configuration.Internal.HttpEnvironmentVariables;

namespace Gateway.AspNetCore.Configuration;

/// <summary>
/// How the gateway's HTTP surface admits and answers requests: API keys, the rate limit, body limits,
/// SSE heartbeats and the metrics endpoint. Bound from the <c>Gateway:Http</c> configuration section
/// with the flat environment variables applied over it (<c>GATEWAY_API_KEYS</c>, <c>RATE_LIMIT_PER_MIN</c>, …);
/// registered by <c>AddHttpApi()</c> and validated when the host starts.
/// </summary>
public sealed class GatewayHttpOptions
{
    /// <summary>The configuration section the options bind from.</summary>
    public const string SectionName = "Gateway:Http";

    /// <summary>
    /// API keys accepted from clients (<c>GATEWAY_API_KEYS</c>, comma-separated). Empty means no
    /// authentication, and then only loopback clients are served.
    /// </summary>
    public IList<string> ApiKeys { get; } = [];

    /// <summary>Requests per minute per API key (per client address without keys); 0 turns limiting off (<c>RATE_LIMIT_PER_MIN</c>).</summary>
    [WholeNumberSetting(Env.RateLimitPerMinute, $"{SectionName}:{nameof(RateLimitPerMinute)}", Minimum = 0)]
    public int RateLimitPerMinute { get; set; }

    /// <summary>The largest request body accepted, in bytes; larger bodies get HTTP 413 (<c>MAX_REQUEST_BODY_BYTES</c>).</summary>
    [WholeNumberSetting(Env.MaxRequestBodyBytes, $"{SectionName}:{nameof(MaxRequestBodyBytes)}", Minimum = 1024)]
    public long MaxRequestBodyBytes { get; set; } = 4 * 1024 * 1024;

    /// <summary>
    /// The largest conversation import file accepted, in bytes (<c>MAX_IMPORT_BYTES</c>); imports stream,
    /// so this bounds disk use and transaction size, not memory.
    /// </summary>
    [WholeNumberSetting(Env.MaxImportBytes, $"{SectionName}:{nameof(MaxImportBytes)}", Minimum = 1024)]
    public long MaxImportBytes { get; set; } = 1024L * 1024 * 1024;

    /// <summary>Seconds between SSE heartbeat comments while a stream waits for the upstream; 0 turns them off (<c>SSE_HEARTBEAT_SECONDS</c>).</summary>
    [WholeNumberSetting(Env.SseHeartbeatSeconds, $"{SectionName}:{nameof(SseHeartbeatSeconds)}", Minimum = 0)]
    public int SseHeartbeatSeconds { get; set; } = 15;

    /// <summary>The path Prometheus metrics are served at (<c>METRICS_PATH</c>).</summary>
    public string MetricsPath { get; set; } = "/metrics";

    /// <summary>Whether <see cref="MetricsPath"/> requires an API key like the other endpoints (<c>METRICS_REQUIRE_KEY</c>).</summary>
    public bool MetricsRequireKey { get; set; }
}
