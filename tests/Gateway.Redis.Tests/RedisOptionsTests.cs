using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Gateway.Redis.Tests;

public sealed class RedisOptionsTests
{
    private static ServiceProvider Build(params (string Key, string Value)[] settings)
    {
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder()
            .AddInMemoryCollection(settings.Select(s => new KeyValuePair<string, string?>(s.Key, s.Value)))
            .Build());
        services.AddLogging();
        services.AddGateway().AddRedis();
        return services.BuildServiceProvider();
    }

    [Fact]
    public void EnvironmentForm_WinsOverTheSection()
    {
        using var services = Build(
            ("Gateway:Redis:Url", "redis://from-section:6379"),
            ("USE_REDIS", "yes"),
            ("REDIS_URL", "redis://127.0.0.1:6380"));

        var options = services.GetRequiredService<IOptions<RedisOptions>>().Value;

        Assert.True(options.Enabled);
        Assert.Equal("redis://127.0.0.1:6380", options.Url);
    }

    [Fact]
    public void AppSettingsForm_IsBound()
    {
        using var services = Build(("Gateway:Redis:Enabled", "true"), ("Gateway:Redis:Url", "cache.local:7000"));

        var options = services.GetRequiredService<IOptions<RedisOptions>>().Value;

        Assert.True(options.Enabled);
        Assert.Equal("cache.local:7000", options.Url);
    }

    [Fact]
    public void Validation_NotABoolean_NamesTheVariable()
    {
        using var services = Build(("USE_REDIS", "maybe"));

        var error = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<RedisOptions>>().Value);

        Assert.Contains(error.Failures, f => f.StartsWith("USE_REDIS:", StringComparison.Ordinal) && f.Contains("'maybe'"));
    }

    [Fact]
    public void Validation_RedisWithoutAddress_NamesBothSettings()
    {
        using var services = Build(("USE_REDIS", "true"));

        var error = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<RedisOptions>>().Value);

        Assert.Contains(error.Failures, f => f.StartsWith("USE_REDIS is true but REDIS_URL", StringComparison.Ordinal));
    }
}
