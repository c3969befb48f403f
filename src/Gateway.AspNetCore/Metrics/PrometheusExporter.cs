using System.Buffers;
using System.Diagnostics.Metrics;

namespace Gateway.AspNetCore.Metrics;

/// <summary>
/// Listens to every instrument of the gateway's meters (names starting with <c>Gateway.</c>) and
/// renders their values in the Prometheus text format. A measurement costs a hash of its tags, a
/// lock-free lookup and an <see cref="Interlocked"/> update (a short lock for histograms); it
/// allocates only the first time its tag set is seen. See docs/adr/0004-metrics-exposition.md.
/// </summary>
internal sealed class PrometheusExporter : IDisposable
{
    /// <summary>The content type of the text format this exporter writes.</summary>
    public const string ContentType = "text/plain; version=0.0.4; charset=utf-8";

    /// <summary>Meters whose name starts with this are exported: Gateway.Core, Gateway.AspNetCore, Gateway.Redis, …</summary>
    public const string MeterPrefix = "Gateway.";

    /// <summary>
    /// Instruments named so are the OpenTelemetry GenAI ones (<c>AddOpenTelemetry()</c>), which measure the same calls
    /// as the <c>gateway.*</c> instruments on the same meter: they go to an OpenTelemetry exporter, not to this endpoint.
    /// </summary>
    public const string OpenTelemetryOnlyPrefix = "gen_ai.";

    private readonly object? _scope;
    private readonly MeterListener _listener;
    private readonly Lock _familiesLock = new();
    private readonly Dictionary<string, MetricFamily> _familiesByName = new(StringComparer.Ordinal);
    private MetricFamily[] _families = [];
    private volatile bool _disposed;

    /// <summary>
    /// Starts listening. Meters created by <paramref name="meterFactory"/> (the app's, so two apps in one
    /// process do not see each other's measurements) and meters created without a factory are exported.
    /// </summary>
    public PrometheusExporter(IMeterFactory? meterFactory = null)
    {
        _scope = meterFactory;
        _listener = new MeterListener { InstrumentPublished = OnInstrumentPublished };
        _listener.SetMeasurementEventCallback<long>(static (_, value, tags, state) => ((MetricFamily)state!).Record(value, tags));
        _listener.SetMeasurementEventCallback<int>(static (_, value, tags, state) => ((MetricFamily)state!).Record((long)value, tags));
        _listener.SetMeasurementEventCallback<short>(static (_, value, tags, state) => ((MetricFamily)state!).Record((long)value, tags));
        _listener.SetMeasurementEventCallback<byte>(static (_, value, tags, state) => ((MetricFamily)state!).Record((long)value, tags));
        _listener.SetMeasurementEventCallback<double>(static (_, value, tags, state) => ((MetricFamily)state!).Record(value, tags));
        _listener.SetMeasurementEventCallback<float>(static (_, value, tags, state) => ((MetricFamily)state!).Record((double)value, tags));
        _listener.SetMeasurementEventCallback<decimal>(static (_, value, tags, state) => ((MetricFamily)state!).Record((double)value, tags));
        _listener.Start();
    }

    /// <summary>Writes every family, sorted by name, in the text format. Observable instruments are read now.</summary>
    public void WriteTo(IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(output);
        if (!_disposed)
        {
            _listener.RecordObservableInstruments();
        }

        foreach (var family in Volatile.Read(ref _families))
        {
            family.WriteTo(output);
        }
    }

    /// <summary>Stops listening; what was measured so far can still be written.</summary>
    public void Dispose()
    {
        _disposed = true;
        _listener.Dispose();
    }

    private void OnInstrumentPublished(Instrument instrument, MeterListener listener)
    {
        var meter = instrument.Meter;
        if (!meter.Name.StartsWith(MeterPrefix, StringComparison.Ordinal)
            || instrument.Name.StartsWith(OpenTelemetryOnlyPrefix, StringComparison.Ordinal)
            || (meter.Scope is not null && !ReferenceEquals(meter.Scope, _scope)))
        {
            return;
        }

        var kind = InstrumentKinds.Of(instrument);
        if (kind == InstrumentKind.Unsupported)
        {
            return;
        }

        var family = GetOrAddFamily(instrument, kind);
        if (family is not null)
        {
            listener.EnableMeasurementEvents(instrument, family);
        }
    }

    private MetricFamily? GetOrAddFamily(Instrument instrument, InstrumentKind kind)
    {
        var name = PrometheusNames.MetricName(instrument.Name, instrument.Unit, InstrumentKinds.IsCounter(kind));
        lock (_familiesLock)
        {
            if (_familiesByName.TryGetValue(name, out var existing))
            {
                // The same instrument from another meter instance (or another package) shares the family;
                // a different type under the same name cannot be exposed, so it is left out.
                return existing.Accepts(kind) ? existing : null;
            }

            var help = string.IsNullOrWhiteSpace(instrument.Description)
                ? $"{instrument.Name} of meter {instrument.Meter.Name}."
                : instrument.Description;
            MetricFamily family = kind == InstrumentKind.Histogram
                ? new HistogramFamily(name, help, InstrumentKinds.AdvisedBuckets(instrument), PrometheusNames.UnitSuffix(instrument.Unit) == "seconds")
                : new ValueFamily(name, help, kind);
            _familiesByName.Add(name, family);
            Volatile.Write(ref _families, [.. _familiesByName.Values.OrderBy(f => f.Name, StringComparer.Ordinal)]);
            return family;
        }
    }
}
