namespace Gateway.Core.Configuration;

/// <summary>The flat environment variable names that configure a gateway (see <c>.env.example</c>).</summary>
public static class GatewayEnvironmentVariables
{
    /// <summary>Prefix of a route variable: <c>MODEL_ROUTE_&lt;KEY&gt;=&lt;provider&gt;|&lt;base-url&gt;|&lt;model&gt;[|env:&lt;API_KEY_VAR&gt;]</c>.</summary>
    public const string ModelRoutePrefix = "MODEL_ROUTE_";

    /// <summary>The route used when a request names none.</summary>
    public const string DefaultModelKey = "DEFAULT_MODEL_KEY";

    /// <summary>Comma-separated upstream model ids that may be used.</summary>
    public const string AllowedModels = "ALLOWED_MODELS";

    /// <summary>SQLite path or PostgreSQL connection string.</summary>
    public const string Database = "GATEWAY_DB";

    /// <summary>Connect timeout in seconds.</summary>
    public const string ConnectTimeoutSeconds = "CONNECT_TIMEOUT_SECONDS";

    /// <summary>Read (idle) timeout in seconds.</summary>
    public const string ReadTimeoutSeconds = "READ_TIMEOUT_SECONDS";

    /// <summary>Write timeout in seconds.</summary>
    public const string WriteTimeoutSeconds = "WRITE_TIMEOUT_SECONDS";

    /// <summary>Total call timeout in seconds.</summary>
    public const string TotalTimeoutSeconds = "TOTAL_TIMEOUT_SECONDS";

    /// <summary>Retries of a failed upstream call.</summary>
    public const string UpstreamMaxRetries = "UPSTREAM_MAX_RETRIES";

    /// <summary>Base delay of the first retry in milliseconds.</summary>
    public const string UpstreamRetryDelayMilliseconds = "UPSTREAM_RETRY_DELAY_MS";

    /// <summary>Whether rate limits are shared through Redis.</summary>
    public const string UseRedis = "USE_REDIS";

    /// <summary>The Redis address.</summary>
    public const string RedisUrl = "REDIS_URL";

    /// <summary>Prefix of a route's capabilities: <c>MODEL_CAPABILITIES_&lt;KEY&gt;=chat,streaming,tools</c>.</summary>
    public const string ModelCapabilitiesPrefix = "MODEL_CAPABILITIES_";

    /// <summary>Seconds between background refreshes of the metadata upstreams report about their models; 0 turns fetching off.</summary>
    public const string ModelMetadataRefreshSeconds = "MODEL_METADATA_REFRESH_SECONDS";

    /// <summary>Seconds of live traffic the per-model latency figures cover.</summary>
    public const string ModelLatencyWindowSeconds = "MODEL_LATENCY_WINDOW_SECONDS";

    /// <summary>The most requests per model the latency window keeps.</summary>
    public const string ModelLatencyMaxSamples = "MODEL_LATENCY_MAX_SAMPLES";
}
