using Gateway.Core.Configuration;
using Gateway.Core.RateLimiting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Gateway.Core.Tests.RateLimiting;

public sealed class InProcessRateLimiterTests
{
    private static InProcessRateLimiter Create(bool useRedis = false, ILogger<InProcessRateLimiter>? logger = null) =>
        new(Options.Create(new GatewayOptions { UseRedis = useRedis, RedisUrl = "redis://127.0.0.1:6379" }), logger);

    [Fact]
    public async Task Acquire_OverTheLimit_RefusedWithRetryAfterWithinTheWindow()
    {
        using var limiter = Create();

        var decisions = new List<RateLimitDecision>();
        for (var i = 0; i < 3; i++)
        {
            decisions.Add(await limiter.AcquireAsync("p", 2));
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
        using var limiter = Create();

        var decisions = await Task.WhenAll(Enumerable.Range(0, 100).Select(_ => Task.Run(() => limiter.AcquireAsync("p", 25).AsTask())));

        Assert.Equal(25, decisions.Count(d => d.Admitted));
    }

    [Fact]
    public async Task Acquire_Partitions_AreCountedApart()
    {
        using var limiter = Create();

        Assert.True((await limiter.AcquireAsync("a", 1)).Admitted);
        Assert.True((await limiter.AcquireAsync("b", 1)).Admitted);
        Assert.False((await limiter.AcquireAsync("a", 1)).Admitted);
    }

    [Fact]
    public async Task Acquire_LimitOff_AdmitsSynchronously()
    {
        using var limiter = Create();

        for (var i = 0; i < 1000; i++)
        {
            var pending = limiter.AcquireAsync("p", 0);
            Assert.True(pending.IsCompletedSuccessfully);
            Assert.Equal(RateLimitDecision.Unlimited, await pending);
        }
    }

    [Theory]
    [InlineData(true, 1)]
    [InlineData(false, 0)]
    public void Create_UseRedisWithoutTheRedisLimiter_Warns(bool useRedis, int warnings)
    {
        var logger = new RecordingLogger();

        using var limiter = Create(useRedis, logger);

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
