using System.Threading.RateLimiting;

namespace Gateway.AspNetCore.RateLimiting.Internal;

/// <summary>
/// One caller's limiter as ASP.NET Core's rate limiting middleware keeps it: it holds no count of its
/// own and asks the registered counter (in-process, or Redis), so dropping an idle one loses nothing.
/// </summary>
internal sealed class CountedPartitionLimiter(
    PartitionedRateLimiter<(string Partition, int PermitsPerMinute)> counter, string partition, int permitsPerMinute, TimeProvider time)
    : RateLimiter
{
    private long _lastUsed = time.GetTimestamp();

    public override TimeSpan? IdleDuration => time.GetElapsedTime(Interlocked.Read(ref _lastUsed));

    public override RateLimiterStatistics? GetStatistics() => counter.GetStatistics((partition, permitsPerMinute));

    protected override RateLimitLease AttemptAcquireCore(int permitCount)
    {
        Interlocked.Exchange(ref _lastUsed, time.GetTimestamp());
        return counter.AttemptAcquire((partition, permitsPerMinute), permitCount);
    }

    protected override ValueTask<RateLimitLease> AcquireAsyncCore(int permitCount, CancellationToken cancellationToken)
    {
        Interlocked.Exchange(ref _lastUsed, time.GetTimestamp());
        return counter.AcquireAsync((partition, permitsPerMinute), permitCount, cancellationToken);
    }
}
