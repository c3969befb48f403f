namespace Gateway.AspNetCore.Metrics;

/// <summary>
/// The value of a counter or gauge series. Whole-number deltas go to a <see langword="long"/> with
/// <see cref="Interlocked.Add(ref long, long)"/>, fractional ones to a <see langword="double"/> with a
/// compare-and-swap loop; the value is their sum. Instruments that report the current value set the
/// <see langword="double"/>.
/// </summary>
internal sealed class ValueSeries(LabelSet labels) : MetricSeries(labels)
{
    private long _whole;
    private double _fraction;

    public double Value => Interlocked.Read(ref _whole) + Volatile.Read(ref _fraction);

    public void Add(long delta) => Interlocked.Add(ref _whole, delta);

    public void Add(double delta)
    {
        var current = Volatile.Read(ref _fraction);
        while (true)
        {
            var seen = Interlocked.CompareExchange(ref _fraction, current + delta, current);
            if (seen.Equals(current))
            {
                return;
            }

            current = seen;
        }
    }

    public void Set(double value) => Volatile.Write(ref _fraction, value);
}
