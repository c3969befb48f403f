using Gateway.Core.Metrics;

namespace Gateway.Core.Telemetry;

/// <summary>
/// The names an OpenTelemetry exporter subscribes to for the gateway's GenAI telemetry, switched on by
/// <c>AddOpenTelemetry()</c> on the gateway builder. Spans and metrics follow the OpenTelemetry GenAI semantic
/// conventions, as Microsoft.Extensions.AI's <c>UseOpenTelemetry()</c> writes them: a <c>chat {model}</c> span
/// per call of a route's model and an <c>embeddings {model}</c> span per embedding request, tagged
/// <c>gen_ai.operation.name</c>, <c>gen_ai.provider.name</c>, <c>gen_ai.request.model</c>, the request options,
/// <c>gen_ai.response.finish_reasons</c> and <c>gen_ai.usage.input_tokens</c>/<c>output_tokens</c>; and the
/// <c>gen_ai.client.operation.duration</c> and <c>gen_ai.client.token.usage</c> histograms.
/// </summary>
/// <example>
/// <code>
/// services.AddOpenTelemetry()
///     .WithTracing(tracing => tracing.AddSource(GatewayOpenTelemetry.ActivitySourceName))
///     .WithMetrics(metrics => metrics.AddMeter(GatewayOpenTelemetry.MeterName));
/// </code>
/// </example>
public static class GatewayOpenTelemetry
{
    /// <summary>The <see cref="System.Diagnostics.ActivitySource"/> of the GenAI spans: the package's name.</summary>
    public const string ActivitySourceName = "Gateway.Core";

    /// <summary>
    /// The meter of the GenAI histograms, the same as the gateway's own <c>gateway.*</c> instruments
    /// (<see cref="GatewayMetrics.MeterName"/>), so one subscription exports both.
    /// </summary>
    public const string MeterName = GatewayMetrics.MeterName;
}
