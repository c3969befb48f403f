using System.Threading.RateLimiting;

namespace Gateway.Core.RateLimiting;

/// <summary>
/// <c>RATE_LIMIT_PER_MIN</c> within one process: a fixed one-minute window per partition
/// (System.Threading.RateLimiting). With several replicas each counts alone; use the Redis limiter
/// (<c>USE_REDIS=true</c>) to share the limit.
/// </summary>
public sealed class InProcessRateLimiter : IRequestRateLimiter, IDisposable
{
    private static readonly TimeSpan Window = TimeSpan.FromMinutes(1);

    // Keyed by the budget too, so a partition's window is created with the limit it is asked for.
    private readonly PartitionedRateLimiter<(string Partition, int Limit)> _limiter =
        PartitionedRateLimiter.Create<(string Partition, int Limit), (string Partition, int Limit)>(key => RateLimitPartition.GetFixedWindowLimiter(
            key,
            key => new FixedWindowRateLimiterOptions
            {
                PermitLimit = key.Limit,
                Window = Window,
                QueueLimit = 0,
                AutoReplenishment = true,
            }));

    /// <inheritdoc />
    public ValueTask<RateLimitDecision> AcquireAsync(string partition, int permitsPerMinute, CancellationToken cancellationToken = default)
    {
        if (permitsPerMinute <= 0)
        {
            return ValueTask.FromResult(RateLimitDecision.Unlimited);
        }

        using var lease = _limiter.AttemptAcquire((partition, permitsPerMinute));
        if (lease.IsAcquired)
        {
            return ValueTask.FromResult(new RateLimitDecision(true, permitsPerMinute, TimeSpan.Zero));
        }

        var retryAfter = lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : Window;
        return ValueTask.FromResult(new RateLimitDecision(false, permitsPerMinute, retryAfter));
    }

    /// <inheritdoc />
    public void Dispose() => _limiter.Dispose();
}
