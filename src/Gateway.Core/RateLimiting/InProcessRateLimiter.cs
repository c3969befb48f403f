using System.Threading.RateLimiting;
using Gateway.Core.Configuration;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Gateway.Core.RateLimiting;

/// <summary>
/// <c>RATE_LIMIT_PER_MIN</c> within one process: a fixed one-minute window per partition
/// (System.Threading.RateLimiting). With several replicas each counts alone; use the Redis limiter
/// (<c>USE_REDIS=true</c>) to share the limit.
/// </summary>
public sealed partial class InProcessRateLimiter : IRequestRateLimiter, IDisposable
{
    private static readonly TimeSpan Window = TimeSpan.FromMinutes(1);

    private readonly int _limit;
    private readonly PartitionedRateLimiter<string>? _limiter;

    /// <summary>Creates the limiter from <see cref="GatewayOptions.RateLimitPerMinute"/> (0 = off).</summary>
    /// <param name="options">The gateway options.</param>
    /// <param name="logger">Warns when <c>USE_REDIS=true</c> reaches this in-process limiter.</param>
    public InProcessRateLimiter(IOptions<GatewayOptions> options, ILogger<InProcessRateLimiter>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _limit = options.Value.RateLimitPerMinute;
        if (_limit > 0 && options.Value.UseRedis && logger is not null)
        {
            // The Redis limiter replaces this one only when its package is added; otherwise every
            // replica would silently count alone, N times the limit in all.
            LogRedisNotAdded(logger);
        }

        if (_limit > 0)
        {
            _limiter = PartitionedRateLimiter.Create<string, string>(partition => RateLimitPartition.GetFixedWindowLimiter(
                partition,
                _ => new FixedWindowRateLimiterOptions
                {
                    PermitLimit = _limit,
                    Window = Window,
                    QueueLimit = 0,
                    AutoReplenishment = true,
                }));
        }
    }

    /// <inheritdoc />
    public ValueTask<RateLimitDecision> AcquireAsync(string partition, CancellationToken cancellationToken = default)
    {
        if (_limiter is null)
        {
            return ValueTask.FromResult(RateLimitDecision.Unlimited);
        }

        using var lease = _limiter.AttemptAcquire(partition);
        if (lease.IsAcquired)
        {
            return ValueTask.FromResult(new RateLimitDecision(true, _limit, TimeSpan.Zero));
        }

        var retryAfter = lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : Window;
        return ValueTask.FromResult(new RateLimitDecision(false, _limit, retryAfter));
    }

    /// <inheritdoc />
    public void Dispose() => _limiter?.Dispose();

    [LoggerMessage(
        Level = LogLevel.Warning,
        Message = "USE_REDIS is true but the rate limit is counted in this process only: add Gateway.Redis and call AddRedis() on the gateway builder to share it across replicas.")]
    private static partial void LogRedisNotAdded(ILogger logger);
}
