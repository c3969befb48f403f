using Gateway.Core.Chat;
using Gateway.Core.Embeddings;
using Gateway.Core.Telemetry;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Switches on the gateway's OpenTelemetry spans and metrics, following the GenAI semantic conventions.</summary>
public static class GatewayOpenTelemetryBuilderExtensions
{
    /// <summary>
    /// Adds Microsoft.Extensions.AI's <c>UseOpenTelemetry()</c> to every route's chat pipeline (inside the app's
    /// own steps, around the gateway's metrics and total timeout, so each call of the model is one span, its
    /// timeout error included) and to every embedding model, all under the source and meter named by
    /// <see cref="GatewayOpenTelemetry"/>. Message text is recorded only when the environment variable
    /// <c>OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT</c> is <c>true</c>. The app still chooses the exporter
    /// (OpenTelemetry's <c>AddOpenTelemetry().WithTracing(…).WithMetrics(…)</c>); without a listener the spans cost
    /// a check per call. Safe to call more than once.
    /// </summary>
    /// <param name="builder">The gateway builder.</param>
    /// <returns><paramref name="builder"/>, for chaining.</returns>
    public static IGatewayBuilder AddOpenTelemetry(this IGatewayBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.Configure<ChatPipelineOptions>(options => options.OpenTelemetry = true);
        builder.Services.Configure<EmbeddingOptions>(options => options.OpenTelemetry = true);
        return builder;
    }
}
