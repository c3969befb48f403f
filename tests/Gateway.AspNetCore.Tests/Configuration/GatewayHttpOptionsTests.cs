using Gateway.AspNetCore.Configuration;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Gateway.AspNetCore.Tests.Configuration;

public sealed class GatewayHttpOptionsTests
{
    private static ServiceProvider Build(Action<GatewayHttpOptions>? configure, params (string Key, string Value)[] settings)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(settings.Select(s => new KeyValuePair<string, string?>(s.Key, s.Value)))
            .Build();
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddLogging();
        services.AddGateway().AddHttpApi(configure).AddHttpApi();
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
    }

    [Fact]
    public void EnvironmentForm_IsReadAndWinsOverTheSection()
    {
        using var services = Build(
            configure: null,
            ("Gateway:Http:ApiKeys:0", "from-section"),
            ("Gateway:Http:MetricsPath", "/section-metrics"),
            ("Gateway:Http:MaxImportBytes", "2048"),
            ("GATEWAY_API_KEYS", "a, b"),
            ("SSE_HEARTBEAT_SECONDS", "5"),
            ("RATE_LIMIT_PER_MIN", "60"),
            ("MAX_REQUEST_BODY_BYTES", "65536"),
            ("METRICS_PATH", "/internal/metrics"),
            ("METRICS_REQUIRE_KEY", "yes"));

        var options = services.GetRequiredService<IOptions<GatewayHttpOptions>>().Value;

        Assert.Equal(["a", "b"], options.ApiKeys);
        Assert.Equal(5, options.SseHeartbeatSeconds);
        Assert.Equal(60, options.RateLimitPerMinute);
        Assert.Equal(65536, options.MaxRequestBodyBytes);
        Assert.Equal(2048, options.MaxImportBytes);
        Assert.Equal("/internal/metrics", options.MetricsPath);
        Assert.True(options.MetricsRequireKey);
    }

    [Fact]
    public void Defaults_MatchTheDocumentedValues()
    {
        using var services = Build(configure: null);

        var options = services.GetRequiredService<IOptions<GatewayHttpOptions>>().Value;

        Assert.Empty(options.ApiKeys);
        Assert.Equal(0, options.RateLimitPerMinute);
        Assert.Equal(4 * 1024 * 1024, options.MaxRequestBodyBytes);
        Assert.Equal(1024L * 1024 * 1024, options.MaxImportBytes);
        Assert.Equal(15, options.SseHeartbeatSeconds);
        Assert.Equal("/metrics", options.MetricsPath);
        Assert.False(options.MetricsRequireKey);
    }

    [Fact]
    public void Configure_AppliedAfterConfiguration_Wins()
    {
        using var services = Build(options => options.SseHeartbeatSeconds = 1, ("SSE_HEARTBEAT_SECONDS", "5"));

        Assert.Equal(1, services.GetRequiredService<IOptions<GatewayHttpOptions>>().Value.SseHeartbeatSeconds);
    }

    [Fact]
    public void Validation_BadValues_ReportsEveryProblemNamingTheSetting()
    {
        using var services = Build(
            configure: null,
            ("GATEWAY_API_KEYS", "good"),
            ("SSE_HEARTBEAT_SECONDS", "often"),
            ("RATE_LIMIT_PER_MIN", "-1"),
            ("MAX_REQUEST_BODY_BYTES", "10"),
            ("MAX_IMPORT_BYTES", "lots"),
            ("METRICS_PATH", "metrics"),
            ("METRICS_REQUIRE_KEY", "maybe"));

        var error = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<GatewayHttpOptions>>().Value);
        var failures = error.Failures.ToList();

        Assert.Contains(failures, f => f.StartsWith("SSE_HEARTBEAT_SECONDS:", StringComparison.Ordinal) && f.Contains("'often'"));
        Assert.Contains(failures, f => f.StartsWith("RATE_LIMIT_PER_MIN:", StringComparison.Ordinal) && f.Contains("at least 0") && f.Contains("(Gateway:Http:RateLimitPerMinute)"));
        Assert.Contains(failures, f => f.StartsWith("MAX_REQUEST_BODY_BYTES:", StringComparison.Ordinal) && f.Contains("at least 1024"));
        Assert.Contains(failures, f => f.StartsWith("MAX_IMPORT_BYTES:", StringComparison.Ordinal) && f.Contains("'lots'"));
        Assert.Contains(failures, f => f.StartsWith("METRICS_PATH:", StringComparison.Ordinal) && f.Contains("starting with '/'"));
        Assert.Contains(failures, f => f.StartsWith("METRICS_REQUIRE_KEY:", StringComparison.Ordinal) && f.Contains("'maybe'"));
    }
}
