using System.Diagnostics.Metrics;

namespace Gateway.Core.Metrics;

/// <summary>
/// The instruments of the <c>Gateway.Core</c> meter. Names use dots and a unit; the Prometheus
/// exporter turns <c>gateway.requests</c> into <c>gateway_requests_total</c> and
/// <c>gateway.request.duration</c> (unit <c>s</c>) into <c>gateway_request_duration_seconds</c>.
/// Tags: <c>model_key</c>, <c>provider</c>, and <c>status</c> (<c>ok</c>, <c>cancelled</c> or the
/// error code), <c>kind</c> (<c>connect</c>, <c>timeout</c>, <c>status</c>, <c>protocol</c>) or
/// <c>direction</c> (<c>input</c>, <c>output</c>) where they apply.
/// </summary>
public sealed class GatewayMetrics
{
    /// <summary>The meter's name, the package's name.</summary>
    public const string MeterName = "Gateway.Core";

    private static readonly IReadOnlyList<double> DurationBuckets =
        [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600];

    private static readonly IReadOnlyList<double> FirstTokenBuckets =
        [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60];

    /// <summary>Creates the instruments on a meter from <paramref name="meterFactory"/>, or a meter of its own.</summary>
    public GatewayMetrics(IMeterFactory? meterFactory = null)
    {
        var meter = meterFactory?.Create(MeterName) ?? new Meter(MeterName);
        Requests = meter.CreateCounter<long>("gateway.requests", "{request}", "Chat requests served, by route and outcome.");
        RequestDuration = meter.CreateHistogram(
            "gateway.request.duration",
            "s",
            "Duration of chat requests, from routing to the last byte of the answer.",
            tags: null,
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = DurationBuckets });
        UpstreamErrors = meter.CreateCounter<long>("gateway.upstream.errors", "{error}", "Failed upstream calls, by kind: connect, timeout, status, protocol.");
        Tokens = meter.CreateCounter<long>("gateway.tokens", "{token}", "Tokens reported by upstreams, by direction: input or output.");
        TimeToFirstToken = meter.CreateHistogram(
            "gateway.time_to_first_token",
            "s",
            "Time from the request until the first streamed token.",
            tags: null,
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = FirstTokenBuckets });
        ActiveStreams = meter.CreateUpDownCounter<long>("gateway.active_streams", "{stream}", "Streams currently open to an upstream.");
        RouteFallbacks = meter.CreateCounter<long>(
            "gateway.route.fallbacks", "{fallback}", "Turns handed to a fallback route because a route failed before the first byte, by from and to route.");
        EmbeddingDuration = meter.CreateHistogram(
            "gateway.embedding.duration",
            "s",
            "Duration of embedding requests that reached a model, by model and status.",
            tags: null,
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = DurationBuckets });
        EmbeddingInputs = meter.CreateCounter<long>("gateway.embedding.inputs", "{input}", "Texts embedded, by model.");
        EmbeddingTokens = meter.CreateCounter<long>("gateway.embedding.tokens", "{token}", "Tokens embedded (after truncation), by model.");
        JobsRunning = meter.CreateUpDownCounter<long>("gateway.jobs.running", "{job}", "Jobs this process's worker is running now, by kind.");
        JobsFinished = meter.CreateCounter<long>(
            "gateway.jobs.finished", "{job}", "Claims of jobs this process's worker ended, by kind and outcome: completed, failed, cancelled, paused, released, lease_lost, finish_failed.");
    }

    /// <summary><c>gateway_requests_total</c>.</summary>
    public Counter<long> Requests { get; }

    /// <summary><c>gateway_request_duration_seconds</c>.</summary>
    public Histogram<double> RequestDuration { get; }

    /// <summary><c>gateway_upstream_errors_total</c>.</summary>
    public Counter<long> UpstreamErrors { get; }

    /// <summary><c>gateway_tokens_total</c>.</summary>
    public Counter<long> Tokens { get; }

    /// <summary><c>gateway_time_to_first_token_seconds</c>.</summary>
    public Histogram<double> TimeToFirstToken { get; }

    /// <summary><c>gateway_active_streams</c>.</summary>
    public UpDownCounter<long> ActiveStreams { get; }

    /// <summary><c>gateway_route_fallbacks_total</c> (<c>from</c>, <c>to</c>: route keys).</summary>
    public Counter<long> RouteFallbacks { get; }

    /// <summary>Duration of embedding requests that reached a model (<c>model</c>, <c>status</c>: ok, error, cancelled).</summary>
    public Histogram<double> EmbeddingDuration { get; }

    /// <summary>Texts embedded by successful requests (<c>model</c>).</summary>
    public Counter<long> EmbeddingInputs { get; }

    /// <summary>Tokens embedded by successful requests, after truncation (<c>model</c>).</summary>
    public Counter<long> EmbeddingTokens { get; }

    /// <summary><c>gateway_jobs_running</c> (<c>kind</c>).</summary>
    public UpDownCounter<long> JobsRunning { get; }

    /// <summary><c>gateway_jobs_finished_total</c> (<c>kind</c>, <c>outcome</c>: completed, failed, cancelled, paused, released, lease_lost, finish_failed).</summary>
    public Counter<long> JobsFinished { get; }
}
