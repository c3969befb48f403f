using System.Threading.RateLimiting;

namespace Gateway.AspNetCore.RateLimiting.Internal;

/// <summary>
/// The default counter behind the gateway's rate limit: a fixed one-minute window per caller in this
/// process. Keyed by the budget as well, so a window is created with the limit it is asked for. With
/// several replicas each counts alone; Gateway.Redis's <c>AddRedis()</c> replaces it to share the limit.
/// </summary>
internal static class InProcessRequestCounter
{
    public static PartitionedRateLimiter<(string Partition, int PermitsPerMinute)> Create() =>
        PartitionedRateLimiter.Create<(string Partition, int PermitsPerMinute), (string Partition, int PermitsPerMinute)>(key =>
            RateLimitPartition.GetFixedWindowLimiter(key, static key => new FixedWindowRateLimiterOptions
            {
                PermitLimit = key.PermitsPerMinute,
                Window = TimeSpan.FromMinutes(1),
                QueueLimit = 0,
                AutoReplenishment = true,
            }));
}
