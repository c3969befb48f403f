using System.Threading.RateLimiting;
using Gateway.Redis;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Adds Redis to the gateway.</summary>
public static class GatewayRedisBuilderExtensions
{
    /// <summary>
    /// Shares <c>RATE_LIMIT_PER_MIN</c> across replicas through Redis when <c>USE_REDIS=true</c>
    /// (<c>REDIS_URL</c>, or an <see cref="IConnectionMultiplexer"/> the app registered): it registers
    /// <see cref="RedisRateLimiter"/> as the <see cref="PartitionedRateLimiter{TResource}"/> of
    /// (partition, permits per minute) that the gateway's rate limiter policy counts with. Without
    /// <c>USE_REDIS</c> each process counts alone, in memory. Registers <see cref="RedisOptions"/> (the
    /// <c>Gateway:Redis</c> section, <c>USE_REDIS</c>, <c>REDIS_URL</c>), validated at start-up. Safe to call more than once.
    /// </summary>
    public static IGatewayBuilder AddRedis(this IGatewayBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        if (services.Any(descriptor => descriptor.ServiceType == typeof(RedisRateLimiter)))
        {
            return builder;
        }

        builder.MapEnvironmentVariables(RedisEnvironmentVariables.Map);
        services.AddOptions<RedisOptions>().BindGatewayConfiguration(RedisOptions.SectionName).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<RedisOptions>, RedisOptionsValidator>());
        services.AddSingleton<RedisRateLimiter>();
        services.Replace(ServiceDescriptor.Singleton<PartitionedRateLimiter<(string Partition, int PermitsPerMinute)>>(sp =>
            sp.GetRequiredService<IOptions<RedisOptions>>().Value.Enabled ? sp.GetRequiredService<RedisRateLimiter>() : CountInProcess()));
        return builder;
    }

    /// <summary>With <c>USE_REDIS=false</c>: the same fixed one-minute window per caller, in this process.</summary>
    private static PartitionedRateLimiter<(string Partition, int PermitsPerMinute)> CountInProcess() =>
        PartitionedRateLimiter.Create<(string Partition, int PermitsPerMinute), (string Partition, int PermitsPerMinute)>(key =>
            RateLimitPartition.GetFixedWindowLimiter(key, static key => new FixedWindowRateLimiterOptions
            {
                PermitLimit = key.PermitsPerMinute,
                Window = TimeSpan.FromMinutes(1),
            }));
}
