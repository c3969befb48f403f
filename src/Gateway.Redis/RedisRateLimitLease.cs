using System.Threading.RateLimiting;

namespace Gateway.Redis;

/// <summary>The answer of <see cref="RedisRateLimiter"/>: admitted, or refused with the time to the window's end.</summary>
internal sealed class RedisRateLimitLease : RateLimitLease
{
    public static readonly RedisRateLimitLease Admitted = new(true, null);

    /// <summary>What <c>AttemptAcquire</c> answers: Redis is only asked asynchronously, so callers go on to <c>AcquireAsync</c>.</summary>
    public static readonly RedisRateLimitLease NotAsked = new(false, null);

    private static readonly string[] RetryAfterName = [MetadataName.RetryAfter.Name];

    private readonly TimeSpan? _retryAfter;

    private RedisRateLimitLease(bool acquired, TimeSpan? retryAfter)
    {
        IsAcquired = acquired;
        _retryAfter = retryAfter;
    }

    public static RedisRateLimitLease Refused(TimeSpan retryAfter) => new(false, retryAfter);

    public override bool IsAcquired { get; }

    public override IEnumerable<string> MetadataNames => _retryAfter is null ? [] : RetryAfterName;

    public override bool TryGetMetadata(string metadataName, out object? metadata)
    {
        if (_retryAfter is { } wait && metadataName == MetadataName.RetryAfter.Name)
        {
            metadata = wait;
            return true;
        }

        metadata = null;
        return false;
    }
}
