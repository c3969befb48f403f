using System.Diagnostics.Metrics;

namespace Gateway.AspNetCore.Metrics;

/// <summary>Classifies instruments and reads their histogram advice.</summary>
internal static class InstrumentKinds
{
    public static InstrumentKind Of(Instrument instrument)
    {
        var type = instrument.GetType();
        if (!type.IsGenericType)
        {
            return InstrumentKind.Unsupported;
        }

        var definition = type.GetGenericTypeDefinition();
        return definition == typeof(Counter<>) ? InstrumentKind.Counter
            : definition == typeof(UpDownCounter<>) ? InstrumentKind.UpDownCounter
            : definition == typeof(Histogram<>) ? InstrumentKind.Histogram
            : definition == typeof(Gauge<>) ? InstrumentKind.Gauge
            : definition == typeof(ObservableCounter<>) ? InstrumentKind.ObservableCounter
            : definition == typeof(ObservableUpDownCounter<>) ? InstrumentKind.ObservableUpDownCounter
            : definition == typeof(ObservableGauge<>) ? InstrumentKind.ObservableGauge
            : InstrumentKind.Unsupported;
    }

    public static bool IsCounter(InstrumentKind kind) => kind is InstrumentKind.Counter or InstrumentKind.ObservableCounter;

    /// <summary>Whether a measurement is the current value (replacing the last one) rather than a delta.</summary>
    public static bool ReportsCurrentValue(InstrumentKind kind) =>
        kind is InstrumentKind.Gauge or InstrumentKind.ObservableCounter or InstrumentKind.ObservableUpDownCounter or InstrumentKind.ObservableGauge;

    /// <summary>The bucket boundaries the instrument's author advised, or <see langword="null"/>.</summary>
    public static IEnumerable<double>? AdvisedBuckets(Instrument instrument) => instrument switch
    {
        Histogram<double> h => h.Advice?.HistogramBucketBoundaries,
        Histogram<float> h => h.Advice?.HistogramBucketBoundaries?.Select(b => (double)b),
        Histogram<long> h => h.Advice?.HistogramBucketBoundaries?.Select(b => (double)b),
        Histogram<int> h => h.Advice?.HistogramBucketBoundaries?.Select(b => (double)b),
        Histogram<short> h => h.Advice?.HistogramBucketBoundaries?.Select(b => (double)b),
        Histogram<byte> h => h.Advice?.HistogramBucketBoundaries?.Select(b => (double)b),
        Histogram<decimal> h => h.Advice?.HistogramBucketBoundaries?.Select(b => (double)b),
        _ => null,
    };
}
