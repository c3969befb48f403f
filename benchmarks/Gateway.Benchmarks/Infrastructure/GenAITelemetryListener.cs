using System.Diagnostics;
using System.Diagnostics.Metrics;
using Gateway.Core.Telemetry;

namespace Gateway.Benchmarks.Infrastructure;

/// <summary>
/// Subscribes to the gateway's GenAI spans and instruments as an OpenTelemetry exporter would: every span
/// sampled and recorded (all tags written), every <c>gen_ai.*</c> measurement delivered. What it does with them
/// is nothing, so a benchmark measures what the gateway's side costs, not an exporter's.
/// </summary>
public sealed class GenAITelemetryListener : IDisposable
{
    private readonly ActivityListener _spans;
    private readonly MeterListener _measurements;

    public GenAITelemetryListener()
    {
        _spans = new ActivityListener
        {
            ShouldListenTo = source => source.Name == GatewayOpenTelemetry.ActivitySourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = _ => { },
        };
        ActivitySource.AddActivityListener(_spans);
        _measurements = new MeterListener
        {
            InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter.Name == GatewayOpenTelemetry.MeterName && instrument.Name.StartsWith("gen_ai.", StringComparison.Ordinal))
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            },
        };
        _measurements.SetMeasurementEventCallback<double>(static (_, _, _, _) => { });
        _measurements.SetMeasurementEventCallback<long>(static (_, _, _, _) => { });
        _measurements.SetMeasurementEventCallback<int>(static (_, _, _, _) => { });
        _measurements.Start();
    }

    public void Dispose()
    {
        _measurements.Dispose();
        _spans.Dispose();
    }
}
