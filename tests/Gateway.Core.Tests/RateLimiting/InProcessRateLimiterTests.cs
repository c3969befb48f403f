using Gateway.Core.RateLimiting;

namespace Gateway.Core.Tests.RateLimiting;

public sealed class InProcessRateLimiterTests
{
    [Fact]
    public async Task Acquire_OverTheLimit_RefusedWithRetryAfterWithinTheWindow()
    {
        using var limiter = new InProcessRateLimiter();

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
        using var limiter = new InProcessRateLimiter();

        var decisions = await Task.WhenAll(Enumerable.Range(0, 100).Select(_ => Task.Run(() => limiter.AcquireAsync("p", 25).AsTask())));

        Assert.Equal(25, decisions.Count(d => d.Admitted));
    }

    [Fact]
    public async Task Acquire_Partitions_AreCountedApart()
    {
        using var limiter = new InProcessRateLimiter();

        Assert.True((await limiter.AcquireAsync("a", 1)).Admitted);
        Assert.True((await limiter.AcquireAsync("b", 1)).Admitted);
        Assert.False((await limiter.AcquireAsync("a", 1)).Admitted);
    }

    [Fact]
    public async Task Acquire_LimitOff_AdmitsSynchronously()
    {
        using var limiter = new InProcessRateLimiter();

        for (var i = 0; i < 1000; i++)
        {
            var pending = limiter.AcquireAsync("p", 0);
            Assert.True(pending.IsCompletedSuccessfully);
            Assert.Equal(RateLimitDecision.Unlimited, await pending);
        }
    }

}
