using Gateway.Core.Configuration;
using Gateway.Core.RateLimiting;
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
    /// (<c>REDIS_URL</c>, or an <see cref="IConnectionMultiplexer"/> the app registered); without
    /// <c>USE_REDIS</c> the in-process limiter stays. Safe to call more than once.
    /// </summary>
    public static IGatewayBuilder AddRedis(this IGatewayBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        if (services.Any(descriptor => descriptor.ServiceType == typeof(RedisRateLimiter)))
        {
            return builder;
        }

        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<GatewayOptions>, RedisOptionsValidator>());
        services.TryAddSingleton<InProcessRateLimiter>();
        services.AddSingleton<RedisRateLimiter>();
        services.Replace(ServiceDescriptor.Singleton<IRequestRateLimiter>(sp =>
            sp.GetRequiredService<IOptions<GatewayOptions>>().Value.UseRedis
                ? sp.GetRequiredService<RedisRateLimiter>()
                : sp.GetRequiredService<InProcessRateLimiter>()));
        return builder;
    }
}
