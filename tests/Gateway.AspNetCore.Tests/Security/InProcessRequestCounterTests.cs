using System.Threading.RateLimiting;
using Gateway.AspNetCore.RateLimiting.Internal;

namespace Gateway.AspNetCore.Tests.Security;

public sealed class InProcessRequestCounterTests
{
    [Fact]
    public void Acquire_OverTheLimit_RefusedWithRetryAfterWithinTheWindow()
    {
        using var counter = InProcessRequestCounter.Create();

        var leases = Enumerable.Range(0, 3).Select(_ => counter.AttemptAcquire(("p", 2))).ToList();

        Assert.True(leases[0].IsAcquired);
        Assert.True(leases[1].IsAcquired);
        Assert.False(leases[2].IsAcquired);
        Assert.True(leases[2].TryGetMetadata(MetadataName.RetryAfter, out var retryAfter));
        Assert.InRange(retryAfter, TimeSpan.FromTicks(1), TimeSpan.FromMinutes(1));
    }

    [Fact]
    public async Task Acquire_Concurrently_AdmitsExactlyTheLimit()
    {
        using var counter = InProcessRequestCounter.Create();

        var leases = await Task.WhenAll(Enumerable.Range(0, 100).Select(_ => Task.Run(() => counter.AttemptAcquire(("p", 25)))));

        Assert.Equal(25, leases.Count(lease => lease.IsAcquired));
    }

    [Fact]
    public void Acquire_Partitions_AreCountedApart()
    {
        using var counter = InProcessRequestCounter.Create();

        Assert.True(counter.AttemptAcquire(("a", 1)).IsAcquired);
        Assert.True(counter.AttemptAcquire(("b", 1)).IsAcquired);
        Assert.False(counter.AttemptAcquire(("a", 1)).IsAcquired);
    }
}
