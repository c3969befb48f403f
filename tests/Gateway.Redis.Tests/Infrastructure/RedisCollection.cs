namespace Gateway.Redis.Tests.Infrastructure;

/// <summary>Every Redis test class shares one server.</summary>
[CollectionDefinition(Name)]
public sealed class RedisCollection : ICollectionFixture<RedisServer>
{
    public const string Name = "redis";
}
