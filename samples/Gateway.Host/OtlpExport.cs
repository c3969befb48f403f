using Gateway.Core.Telemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Gateway.Host;

/// <summary>
/// Exports traces and metrics over OTLP when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set: the gateway's GenAI
/// spans and histograms (<c>AddOpenTelemetry()</c>) and its <c>gateway.*</c> instruments, with ASP.NET Core's
/// request spans and HttpClient's upstream call spans around and under them. Everything else about the export
/// (<c>OTEL_EXPORTER_OTLP_PROTOCOL</c>, <c>OTEL_EXPORTER_OTLP_HEADERS</c>, <c>OTEL_SERVICE_NAME</c>,
/// <c>OTEL_RESOURCE_ATTRIBUTES</c>, <c>OTEL_BSP_SCHEDULE_DELAY</c>, <c>OTEL_METRIC_EXPORT_INTERVAL</c>) is
/// OpenTelemetry's own, read by its SDK.
/// </summary>
internal static class OtlpExport
{
    /// <summary>The variable that switches the export on.</summary>
    public const string EndpointVariable = "OTEL_EXPORTER_OTLP_ENDPOINT";

    /// <summary>The variable OpenTelemetry reads the service name from.</summary>
    public const string ServiceNameVariable = "OTEL_SERVICE_NAME";

    /// <summary>The service name when <see cref="ServiceNameVariable"/> does not give one.</summary>
    public const string DefaultServiceName = "gateway";

    // ASP.NET Core's and HttpClient's own sources and meters; .NET publishes them without instrumentation packages.
    private static readonly string[] FrameworkSources = ["Microsoft.AspNetCore", "System.Net.Http"];
    private static readonly string[] FrameworkMeters = ["Microsoft.AspNetCore.Hosting", "System.Net.Http"];

    /// <summary>Adds the export, and the gateway's telemetry, when <see cref="EndpointVariable"/> is set.</summary>
    public static void AddWhenConfigured(WebApplicationBuilder builder, IGatewayBuilder gateway)
    {
        if (string.IsNullOrWhiteSpace(builder.Configuration[EndpointVariable]))
        {
            return;
        }

        gateway.AddOpenTelemetry();
        var telemetry = builder.Services.AddOpenTelemetry();
        if (string.IsNullOrWhiteSpace(builder.Configuration[ServiceNameVariable]))
        {
            telemetry.ConfigureResource(resource => resource.AddService(DefaultServiceName));
        }

        telemetry
            .WithTracing(tracing => tracing
                .AddSource(GatewayOpenTelemetry.ActivitySourceName)
                .AddSource(FrameworkSources)
                .AddOtlpExporter())
            .WithMetrics(metrics => metrics
                .AddMeter(GatewayOpenTelemetry.MeterName)
                .AddMeter(FrameworkMeters)
                .AddOtlpExporter());
    }
}
