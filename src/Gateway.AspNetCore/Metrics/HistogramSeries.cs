namespace Gateway.AspNetCore.Metrics;

/// <summary>
/// One histogram series: a count per bucket (not cumulative; the last bucket is +Inf), the sum and the
/// count. A small lock keeps the three consistent for a scrape.
/// </summary>
internal sealed class HistogramSeries(LabelSet labels, int bucketCount) : MetricSeries(labels)
{
    private readonly Lock _lock = new();
    private readonly long[] _buckets = new long[bucketCount];
    private double _sum;
    private long _count;

    public void Record(int bucket, double value)
    {
        lock (_lock)
        {
            _buckets[bucket]++;
            _sum += value;
            _count++;
        }
    }

    /// <summary>Copies the bucket counts into <paramref name="buckets"/> and returns the sum and count of the same moment.</summary>
    public (double Sum, long Count) Snapshot(Span<long> buckets)
    {
        lock (_lock)
        {
            _buckets.CopyTo(buckets);
            return (_sum, _count);
        }
    }
}
