using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Threading.RateLimiting;
using Gateway.Redis.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Gateway.Redis.Tests;

[Collection(RedisCollection.Name)]
public sealed class RedisRateLimiterTests(RedisServer redis) : IDisposable
{
    // Meters of this test's own factory, so its measurements never reach a gateway host's /metrics.
    private readonly ServiceProvider _metrics = new ServiceCollection().AddMetrics().BuildServiceProvider();

    public void Dispose() => _metrics.Dispose();

    private IMeterFactory MeterFactory => _metrics.GetRequiredService<IMeterFactory>();

    private RedisRateLimiter CreateLimiter(string? url = null) => new(
        Options.Create(new RedisOptions { Enabled = true, Url = url ?? redis.Url }),
        NullLogger<RedisRateLimiter>.Instance,
        TimeProvider.System,
        MeterFactory);

    [Fact]
    public async Task Acquire_TwoReplicasConcurrently_AdmitExactlyTheLimit()
    {
        await RateWindow.EnsureRoomAsync(TimeSpan.FromSeconds(10));
        await using var replicaA = CreateLimiter();
        await using var replicaB = CreateLimiter();
        var partition = "test:" + Guid.NewGuid().ToString("N");

        var leases = await Task.WhenAll(Enumerable.Range(0, 30)
            .Select(i => (i % 2 == 0 ? replicaA : replicaB).AcquireAsync((partition, 10)).AsTask()));

        Assert.Equal(10, leases.Count(l => l.IsAcquired));
        Assert.All(leases.Where(l => !l.IsAcquired), l =>
        {
            Assert.True(l.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter));
            Assert.InRange(retryAfter, TimeSpan.FromMilliseconds(1), TimeSpan.FromSeconds(60));
        });
    }

    [Fact]
    public async Task Acquire_Partitions_AreCountedApart()
    {
        await RateWindow.EnsureRoomAsync(TimeSpan.FromSeconds(10));
        await using var limiter = CreateLimiter();
        var suffix = Guid.NewGuid().ToString("N");

        Assert.True((await limiter.AcquireAsync(("a:" + suffix, 1))).IsAcquired);
        Assert.True((await limiter.AcquireAsync(("b:" + suffix, 1))).IsAcquired);
        Assert.False((await limiter.AcquireAsync(("a:" + suffix, 1))).IsAcquired);
    }

    [Fact]
    public async Task Acquire_RedisUnreachable_ServesTheRequest()
    {
        var errors = new List<(long Value, string? Backend)>();
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (ReferenceEquals(instrument.Meter.Scope, MeterFactory) && instrument.Name == "gateway.rate_limiter.errors")
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
        {
            lock (errors)
            {
                errors.Add((value, tags.ToArray().SingleOrDefault(t => t.Key == "backend").Value as string));
            }
        });
        listener.Start();
        await using var limiter = CreateLimiter(url: "redis://127.0.0.1:1");

        var first = await limiter.AcquireAsync(("p", 1));
        var started = Stopwatch.GetTimestamp();
        var second = await limiter.AcquireAsync(("p", 1));
        var elapsed = Stopwatch.GetElapsedTime(started);

        Assert.True(first.IsAcquired);
        Assert.True(second.IsAcquired);

        // While disconnected a command fails at once instead of waiting out the 2 s timeout in a backlog.
        Assert.True(elapsed < TimeSpan.FromSeconds(1), $"fail-open took {elapsed.TotalMilliseconds:F0} ms");
        Assert.Equal([(1L, "redis"), (1L, "redis")], errors);
    }

    [Fact]
    public async Task Acquire_RedisComesBack_LimitsAgain()
    {
        var port = RedisServer.FreePort();
        await using var limiter = CreateLimiter(url: $"redis://127.0.0.1:{port}");
        Assert.True((await limiter.AcquireAsync(("test:" + Guid.NewGuid().ToString("N"), 1))).IsAcquired);

        using var restarted = RedisServer.StartOn(port);
        await RateWindow.EnsureRoomAsync(TimeSpan.FromSeconds(20));
        var deadline = Stopwatch.GetTimestamp() + (long)(15 * Stopwatch.Frequency);
        bool limited;
        do
        {
            // A fresh partition per try, with a budget of 1: only Redis itself refuses the second request.
            var partition = "test:" + Guid.NewGuid().ToString("N");
            using var first = await limiter.AcquireAsync((partition, 1));
            using var second = await limiter.AcquireAsync((partition, 1));
            limited = first.IsAcquired && !second.IsAcquired;
            if (!limited)
            {
                await Task.Delay(100);
            }
        }
        while (!limited && Stopwatch.GetTimestamp() < deadline);

        Assert.True(limited, "the limiter did not limit again within 15 s of Redis coming back");
    }

    [Fact]
    public void AttemptAcquire_NeverAsksRedis_SoCallersGoOnToAcquireAsync()
    {
        var limiter = CreateLimiter(url: "redis://127.0.0.1:1");

        Assert.False(limiter.AttemptAcquire(("p", 1)).IsAcquired);
        Assert.True(limiter.AttemptAcquire(("p", 0)).IsAcquired);
        limiter.Dispose();
    }

    [Theory]
    [InlineData("redis://127.0.0.1:6380", "127.0.0.1:6380", null, 0)]
    [InlineData("redis://:s3cret@cache.local/2", "cache.local:6379", "s3cret", 2)]
    [InlineData("127.0.0.1:7000,password=pw", "127.0.0.1:7000", "pw", 0)]
    public void Parse_Url_ReadsHostPasswordAndDatabase(string url, string endpoint, string? password, int database)
    {
        var options = RedisEndpoint.Parse(url);

        Assert.Contains(endpoint, options.EndPoints.Select(e => e.ToString()?.Replace("Unspecified/", "", StringComparison.Ordinal)));
        Assert.Equal(password, options.Password);
        Assert.Equal(database, options.DefaultDatabase ?? 0);
        Assert.False(options.AbortOnConnectFail);
    }
}
