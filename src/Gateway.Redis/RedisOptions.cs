namespace Gateway.Redis;

/// <summary>
/// Whether and where the gateway shares state through Redis. Bound from the <c>Gateway:Redis</c>
/// configuration section, then overridden by <c>USE_REDIS</c> and <c>REDIS_URL</c>; registered by
/// <c>AddRedis()</c> and validated when the host starts.
/// </summary>
public sealed class RedisOptions
{
    /// <summary>The configuration section the options bind from.</summary>
    public const string SectionName = "Gateway:Redis";

    /// <summary>Whether rate limits are shared through Redis (<c>USE_REDIS</c>); otherwise each process counts alone.</summary>
    public bool Enabled { get; set; }

    /// <summary>
    /// The Redis connection (<c>REDIS_URL</c>): <c>redis://[[user]:password@]host[:port][/db]</c>, <c>rediss://…</c>
    /// for TLS, or a StackExchange.Redis configuration string such as <c>host:port,password=…</c>.
    /// </summary>
    public string? Url { get; set; }
}
