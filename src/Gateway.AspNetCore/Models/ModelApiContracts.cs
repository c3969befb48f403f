namespace Gateway.AspNetCore.Models;

/// <summary>The answer of <c>GET /api/models</c>.</summary>
internal sealed record ModelListBody(
    IReadOnlyList<ModelBody> Items,
    string? DefaultModelKey,
    IReadOnlyList<string> AllowedModels,
    string? Hint,
    IReadOnlyList<EmbeddingModelBody> EmbeddingModels);

/// <summary>One local embedding model as <c>GET /api/models</c> shows it: where it runs and what it takes.</summary>
internal sealed record EmbeddingModelBody(
    string Name,
    bool IsDefault,
    int Dimensions,
    int MaxInputTokens,
    string Provider,
    string ExecutionProvider,
    string Source);

/// <summary>
/// One route as <c>GET /api/models</c> and <c>GET /api/models/{key}</c> show it (never its API key): its first
/// deployment's upstream and metadata, then every deployment's own.
/// </summary>
internal sealed record ModelBody(
    string Key,
    string Provider,
    string Model,
    string Endpoint,
    bool Allowed,
    bool IsDefault,
    ModelSourceBody Source,
    bool? Available,
    string? UnavailableReason,
    DateTimeOffset? CheckedAt,
    DateTimeOffset? LastAvailableAt,
    ModelCapabilitiesBody Capabilities,
    ModelQuantizationBody? Quantization,
    long? ContextLength,
    IReadOnlyDictionary<string, string> Details,
    ModelLatencyBody Latency,
    IReadOnlyList<DeploymentBody> Deployments,
    IReadOnlyList<string> Fallbacks);

/// <summary>
/// One deployment of a route, its state — <c>closed</c> (takes requests), <c>open</c> (cooling down after
/// repeated failures, until <c>coolingDownUntil</c>) or <c>half-open</c> (the next request tries it) — and
/// what its own upstream last reported of its model, as the route's members say it of the first one.
/// </summary>
internal sealed record DeploymentBody(
    int Index,
    string Provider,
    string Endpoint,
    string Model,
    string State,
    int OutstandingRequests,
    DateTimeOffset? CoolingDownUntil,
    ModelSourceBody Source,
    bool? Available,
    string? UnavailableReason,
    DateTimeOffset? CheckedAt,
    DateTimeOffset? LastAvailableAt,
    ModelCapabilitiesBody Capabilities,
    ModelQuantizationBody? Quantization,
    long? ContextLength,
    IReadOnlyDictionary<string, string> Details);

/// <summary>Where the model lives and where its metadata came from.</summary>
internal sealed record ModelSourceBody(string Provider, string? EndpointHost, string Model, string MetadataSource);

/// <summary>What the model can do, and who said so.</summary>
internal sealed record ModelCapabilitiesBody(bool Chat, bool Streaming, bool Tools, bool Embeddings, bool Vision, string Source);

/// <summary>How the model's weights are stored, and who said so.</summary>
internal sealed record ModelQuantizationBody(string? Level, string? ParameterSize, string? Family, string? Format, string Source);

/// <summary>Live traffic of the route over the latency window; durations in milliseconds.</summary>
internal sealed record ModelLatencyBody(
    int WindowSeconds,
    int Requests,
    int Errors,
    PercentilesBody? TimeToFirstTokenMs,
    PercentilesBody? DurationMs,
    double? OutputTokensPerSecond,
    int SampleLimit,
    bool SampleLimitReached);

/// <summary>A median and a 95th percentile.</summary>
internal sealed record PercentilesBody(double P50, double P95);
