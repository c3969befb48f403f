using System.Buffers;

namespace Gateway.AspNetCore.Metrics;

/// <summary>A counter or gauge family: one number per series.</summary>
internal sealed class ValueFamily(string name, string help, InstrumentKind kind)
    : MetricFamily<ValueSeries>(name, help, InstrumentKinds.IsCounter(kind) ? "counter" : "gauge")
{
    private readonly bool _reportsCurrentValue = InstrumentKinds.ReportsCurrentValue(kind);

    public override bool Accepts(InstrumentKind other) =>
        other != InstrumentKind.Histogram
        && InstrumentKinds.IsCounter(other) == (Type == "counter")
        && InstrumentKinds.ReportsCurrentValue(other) == _reportsCurrentValue;

    public override void Record(long value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var series = GetSeries(tags);
        if (_reportsCurrentValue)
        {
            series.Set(value);
        }
        else
        {
            series.Add(value);
        }
    }

    public override void Record(double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        if (!double.IsFinite(value))
        {
            return;
        }

        var series = GetSeries(tags);
        if (_reportsCurrentValue)
        {
            series.Set(value);
        }
        else
        {
            series.Add(value);
        }
    }

    protected override void WriteSeries(IBufferWriter<byte> output)
    {
        foreach (var series in AllSeries)
        {
            WriteSampleName(output, NameUtf8, series.Labels);
            PrometheusText.WriteValue(output, series.Value);
            output.Write("\n"u8);
        }
    }

    protected override ValueSeries CreateSeries(LabelSet labels) => new(labels);
}
