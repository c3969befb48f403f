using Gateway.Core.Configuration;

namespace Gateway.Redis;

/// <summary>The flat environment variables of <see cref="RedisOptions"/> (see <c>.env.example</c>) and the keys they stand for.</summary>
internal static class RedisEnvironmentVariables
{
    public const string UseRedis = "USE_REDIS";
    public const string RedisUrl = "REDIS_URL";

    /// <summary>The Redis variables, mapped onto the <c>Gateway:Redis</c> section.</summary>
    public static GatewayEnvironmentMap Map { get; } = new GatewayEnvironmentMap()
        .Flag(UseRedis, $"{RedisOptions.SectionName}:{nameof(RedisOptions.Enabled)}")
        .Text(RedisUrl, $"{RedisOptions.SectionName}:{nameof(RedisOptions.Url)}");
}
