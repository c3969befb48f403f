namespace Gateway.Core.Metrics;

/// <summary>
/// The latest requests of one route, kept for a sliding time window in a fixed-size ring, so live latency
/// can be shown per model. Recording is a short lock and a struct write, with no allocation; the work of
/// sorting for percentiles happens only when a snapshot is asked for.
/// </summary>
public sealed class ModelLatencyWindow
{
    private readonly Lock _lock = new();
    private readonly Sample[] _samples;
    private readonly TimeProvider _time;
    private int _next;
    private int _count;

    /// <summary>Creates an empty window.</summary>
    /// <param name="window">How long a request counts after it finished.</param>
    /// <param name="sampleLimit">The most requests kept; the oldest is dropped when a new one arrives.</param>
    /// <param name="time">The clock; a fake one makes expiry exact in tests.</param>
    public ModelLatencyWindow(TimeSpan window, int sampleLimit, TimeProvider time)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(window, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThan(sampleLimit, 1);
        ArgumentNullException.ThrowIfNull(time);
        Window = window;
        _samples = new Sample[sampleLimit];
        _time = time;
    }

    /// <summary>How long a request counts after it finished.</summary>
    public TimeSpan Window { get; }

    /// <summary>The most requests kept.</summary>
    public int SampleLimit => _samples.Length;

    /// <summary>Records a request that finished successfully now.</summary>
    /// <param name="duration">From the request until the last byte of the answer.</param>
    /// <param name="timeToFirstToken">Until the first streamed token; <see langword="null"/> for a request that did not stream or produced no text.</param>
    /// <param name="outputTokens">The output tokens the upstream reported, if it did.</param>
    public void RecordSuccess(TimeSpan duration, TimeSpan? timeToFirstToken, long? outputTokens) =>
        Add(new Sample(
            _time.GetTimestamp(),
            duration.Ticks,
            timeToFirstToken?.Ticks ?? -1,
            outputTokens is > 0 ? outputTokens.Value : 0,
            Failed: false));

    /// <summary>Records a request that failed now, after <paramref name="duration"/>.</summary>
    public void RecordFailure(TimeSpan duration) =>
        Add(new Sample(_time.GetTimestamp(), duration.Ticks, -1, 0, Failed: true));

    /// <summary>Computes the figures over the requests that finished within <see cref="Window"/> of now.</summary>
    public ModelLatencySnapshot GetSnapshot()
    {
        Sample[] recent;
        int kept;
        lock (_lock)
        {
            kept = _count;
            recent = new Sample[_count];
            // Oldest first: the ring's tail, then its head.
            var start = (_next - _count + _samples.Length) % _samples.Length;
            for (var i = 0; i < _count; i++)
            {
                recent[i] = _samples[(start + i) % _samples.Length];
            }
        }

        var now = _time.GetTimestamp();
        var inside = recent.Where(sample => _time.GetElapsedTime(sample.Timestamp, now) <= Window).ToArray();
        var successes = inside.Where(sample => !sample.Failed).ToArray();
        var firstTokens = successes.Where(sample => sample.FirstTokenTicks >= 0).Select(sample => sample.FirstTokenTicks).ToArray();
        var durations = successes.Select(sample => sample.DurationTicks).ToArray();

        long tokens = 0;
        long generatingTicks = 0;
        foreach (var sample in successes)
        {
            if (sample.OutputTokens > 0)
            {
                tokens += sample.OutputTokens;
                generatingTicks += sample.FirstTokenTicks >= 0 && sample.DurationTicks > sample.FirstTokenTicks
                    ? sample.DurationTicks - sample.FirstTokenTicks
                    : sample.DurationTicks;
            }
        }

        return new ModelLatencySnapshot(
            Window,
            inside.Length,
            inside.Length - successes.Length,
            Percentiles(firstTokens),
            Percentiles(durations),
            tokens > 0 && generatingTicks > 0 ? tokens / TimeSpan.FromTicks(generatingTicks).TotalSeconds : null,
            SampleLimit,
            kept == SampleLimit && inside.Length == kept);
    }

    /// <summary>The nearest-rank percentile: the value at position ⌈p·n/100⌉ of the sorted samples (in whole numbers, so no rounding error moves the rank).</summary>
    private static TimeSpan Percentile(long[] sortedTicks, int percent)
    {
        var rank = ((percent * sortedTicks.Length) + 99) / 100;
        return TimeSpan.FromTicks(sortedTicks[Math.Clamp(rank, 1, sortedTicks.Length) - 1]);
    }

    private static LatencyPercentiles? Percentiles(long[] ticks)
    {
        if (ticks.Length == 0)
        {
            return null;
        }

        Array.Sort(ticks);
        return new LatencyPercentiles(Percentile(ticks, 50), Percentile(ticks, 95));
    }

    private void Add(in Sample sample)
    {
        lock (_lock)
        {
            _samples[_next] = sample;
            _next = (_next + 1) % _samples.Length;
            if (_count < _samples.Length)
            {
                _count++;
            }
        }
    }

    /// <param name="Timestamp">When the request finished, from <see cref="TimeProvider.GetTimestamp"/>.</param>
    /// <param name="DurationTicks">Its whole duration.</param>
    /// <param name="FirstTokenTicks">Its time to first token; -1 when unknown.</param>
    /// <param name="OutputTokens">Its output tokens; 0 when none were reported.</param>
    /// <param name="Failed">Whether it failed.</param>
    private readonly record struct Sample(long Timestamp, long DurationTicks, long FirstTokenTicks, long OutputTokens, bool Failed);
}
