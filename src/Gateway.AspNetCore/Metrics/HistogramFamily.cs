using System.Buffers;
using System.Text;

namespace Gateway.AspNetCore.Metrics;

/// <summary>A histogram family: cumulative <c>_bucket</c> lines with <c>le</c>, then <c>_sum</c> and <c>_count</c>.</summary>
internal sealed class HistogramFamily : MetricFamily<HistogramSeries>
{
    /// <summary>Prometheus's client defaults, for durations in seconds.</summary>
    private static readonly double[] SecondsBuckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

    /// <summary>OpenTelemetry's defaults, for everything else.</summary>
    private static readonly double[] OtherBuckets = [0, 5, 10, 25, 50, 75, 100, 250, 500, 750, 1000, 2500, 5000, 7500, 10000];

    private readonly double[] _bounds;
    private readonly byte[][] _boundLabels;
    private readonly byte[] _bucketName;
    private readonly byte[] _sumName;
    private readonly byte[] _countName;

    public HistogramFamily(string name, string help, IEnumerable<double>? advisedBuckets, bool inSeconds)
        : base(name, help, "histogram")
    {
        _bounds = (advisedBuckets ?? (inSeconds ? SecondsBuckets : OtherBuckets))
            .Where(double.IsFinite)
            .Distinct()
            .Order()
            .ToArray();
        _boundLabels = [.. _bounds.Select(b => Encoding.UTF8.GetBytes($"le=\"{PrometheusText.FormatValue(b)}\"}} ")), "le=\"+Inf\"} "u8.ToArray()];
        _bucketName = Encoding.UTF8.GetBytes(name + "_bucket{");
        _sumName = Encoding.UTF8.GetBytes(name + "_sum");
        _countName = Encoding.UTF8.GetBytes(name + "_count");
    }

    public override bool Accepts(InstrumentKind kind) => kind == InstrumentKind.Histogram;

    public override void Record(long value, ReadOnlySpan<KeyValuePair<string, object?>> tags) => Record((double)value, tags);

    public override void Record(double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        if (double.IsNaN(value))
        {
            return;
        }

        GetSeries(tags).Record(BucketOf(value), value);
    }

    protected override void WriteSeries(IBufferWriter<byte> output)
    {
        Span<long> buckets = _boundLabels.Length <= 128 ? stackalloc long[_boundLabels.Length] : new long[_boundLabels.Length];
        foreach (var series in AllSeries)
        {
            var (sum, count) = series.Snapshot(buckets);
            var labels = series.Labels.Text;
            long cumulative = 0;
            for (var i = 0; i < buckets.Length; i++)
            {
                cumulative += buckets[i];
                output.Write(_bucketName);
                if (labels.Length > 0)
                {
                    output.Write(labels);
                    output.Write(","u8);
                }

                output.Write(_boundLabels[i]);
                PrometheusText.WriteValue(output, cumulative);
                output.Write("\n"u8);
            }

            WriteSampleName(output, _sumName, series.Labels);
            PrometheusText.WriteValue(output, sum);
            output.Write("\n"u8);
            WriteSampleName(output, _countName, series.Labels);
            PrometheusText.WriteValue(output, count);
            output.Write("\n"u8);
        }
    }

    protected override HistogramSeries CreateSeries(LabelSet labels) => new(labels, _bounds.Length + 1);

    /// <summary>The first bucket whose upper bound is at least <paramref name="value"/> (Prometheus's <c>le</c>); past the last, +Inf.</summary>
    private int BucketOf(double value)
    {
        var bounds = _bounds;
        var low = 0;
        var high = bounds.Length;
        while (low < high)
        {
            var middle = (low + high) >>> 1;
            if (value <= bounds[middle])
            {
                high = middle;
            }
            else
            {
                low = middle + 1;
            }
        }

        return low;
    }
}
