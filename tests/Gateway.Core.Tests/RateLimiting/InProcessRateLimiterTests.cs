using Gateway.Core.Configuration;
using Gateway.Core.RateLimiting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Gateway.Core.Tests.RateLimiting;

public sealed class InProcessRateLimiterTests
{
    private static InProcessRateLimiter Create(int limit, bool useRedis = false, ILogger<InProcessRateLimiter>? logger = null) =>
        new(Options.Create(new GatewayOptions { RateLimitPerMinute = limit, UseRedis = useRedis, RedisUrl = "redis://127.0.0.1:6379" }), logger);

    [Fact]
    public async Task Acquire_OverTheLimit_RefusedWithRetryAfterWithinTheWindow()
    {
        using var limiter = Create(2);

        var decisions = new List<RateLimitDecision>();
        for (var i = 0; i < 3; i++)
        {
            decisions.Add(await limiter.AcquireAsync("p"));
        }

        Assert.True(decisions[0].Admitted);
        Assert.True(decisions[1].Admitted);
        Assert.False(decisions[2].Admitted);
        Assert.Equal(2, decisions[2].Limit);
        Assert.InRange(decisions[2].RetryAfter, TimeSpan.FromTicks(1), TimeSpan.FromMinutes(1));
    }

    [Fact]
    public async Task Acquire_Concurrently_AdmitsExactlyTheLimit()
    {
        using var limiter = Create(25);

        var decisions = await Task.WhenAll(Enumerable.Range(0, 100).Select(_ => Task.Run(() => limiter.AcquireAsync("p").AsTask())));

        Assert.Equal(25, decisions.Count(d => d.Admitted));
    }

    [Fact]
    public async Task Acquire_Partitions_AreCountedApart()
    {
        using var limiter = Create(1);

        Assert.True((await limiter.AcquireAsync("a")).Admitted);
        Assert.True((await limiter.AcquireAsync("b")).Admitted);
        Assert.False((await limiter.AcquireAsync("a")).Admitted);
    }

    [Fact]
    public async Task Acquire_LimitOff_AdmitsSynchronously()
    {
        using var limiter = Create(0);

        for (var i = 0; i < 1000; i++)
        {
            var pending = limiter.AcquireAsync("p");
            Assert.True(pending.IsCompletedSuccessfully);
            Assert.Equal(RateLimitDecision.Unlimited, await pending);
        }
    }

    [Theory]
    [InlineData(true, 5, 1)]
    [InlineData(true, 0, 0)]
    [InlineData(false, 5, 0)]
    public void Create_UseRedisWithoutTheRedisLimiter_Warns(bool useRedis, int limit, int warnings)
    {
        var logger = new RecordingLogger();

        using var limiter = Create(limit, useRedis, logger);

        Assert.Equal(warnings, logger.Warnings.Count);
        Assert.All(logger.Warnings, message => Assert.Contains("AddRedis()", message, StringComparison.Ordinal));
    }

    private sealed class RecordingLogger : ILogger<InProcessRateLimiter>
    {
        public List<string> Warnings { get; } = [];

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (logLevel == LogLevel.Warning)
            {
                Warnings.Add(formatter(state, exception));
            }
        }
    }
}
