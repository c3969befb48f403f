namespace Gateway.Core.Metrics;

/// <summary>The median and 95th percentile of a set of durations (nearest rank: the smallest sample that at least p % of the samples do not exceed).</summary>
/// <param name="P50">The median.</param>
/// <param name="P95">The 95th percentile.</param>
public readonly record struct LatencyPercentiles(TimeSpan P50, TimeSpan P95);
