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
    /// <c>USE_REDIS</c> the in-process limiter stays. Registers <see cref="RedisOptions"/> (the
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
        services.TryAddSingleton<InProcessRateLimiter>();
        services.AddSingleton<RedisRateLimiter>();
        services.Replace(ServiceDescriptor.Singleton<IRequestRateLimiter>(sp =>
            sp.GetRequiredService<IOptions<RedisOptions>>().Value.Enabled
                ? sp.GetRequiredService<RedisRateLimiter>()
                : sp.GetRequiredService<InProcessRateLimiter>()));
        return builder;
    }
}
