using Gateway.Core.Metrics;
using Microsoft.Extensions.Time.Testing;

namespace Gateway.Core.Tests.Metrics;

public sealed class ModelLatencyWindowTests
{
    private static readonly TimeSpan FiveMinutes = TimeSpan.FromMinutes(5);

    private readonly FakeTimeProvider _time = new();

    [Fact]
    public void GetSnapshot_NoRequests_HasCountsOfZeroAndNoFigures()
    {
        var window = new ModelLatencyWindow(FiveMinutes, 16, _time);

        var snapshot = window.GetSnapshot();

        Assert.Equal(0, snapshot.Requests);
        Assert.Equal(0, snapshot.Errors);
        Assert.Null(snapshot.TimeToFirstToken);
        Assert.Null(snapshot.Duration);
        Assert.Null(snapshot.OutputTokensPerSecond);
        Assert.Equal(FiveMinutes, snapshot.Window);
        Assert.Equal(16, snapshot.SampleLimit);
        Assert.False(snapshot.SampleLimitReached);
    }

    [Fact]
    public void GetSnapshot_HundredRequestsInAnyOrder_GivesNearestRankPercentiles()
    {
        var window = new ModelLatencyWindow(FiveMinutes, 1024, _time);
        // 1..100 ms, recorded in a scrambled order (37 is coprime to 100, so every value appears once).
        for (var i = 0; i < 100; i++)
        {
            var ms = (i * 37 % 100) + 1;
            window.RecordSuccess(TimeSpan.FromMilliseconds(ms), TimeSpan.FromMilliseconds(ms / 4.0), outputTokens: null);
        }

        var snapshot = window.GetSnapshot();

        Assert.Equal(100, snapshot.Requests);
        Assert.Equal(new LatencyPercentiles(TimeSpan.FromMilliseconds(50), TimeSpan.FromMilliseconds(95)), snapshot.Duration);
        Assert.Equal(new LatencyPercentiles(TimeSpan.FromMilliseconds(12.5), TimeSpan.FromMilliseconds(23.75)), snapshot.TimeToFirstToken);
    }

    [Theory]
    [InlineData(new[] { 10 }, 10, 10)]
    [InlineData(new[] { 20, 10 }, 10, 20)]
    [InlineData(new[] { 30, 10, 20 }, 20, 30)]
    [InlineData(new[] { 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 900 }, 5, 5)]
    [InlineData(new[] { 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 900, 900 }, 5, 900)]
    public void GetSnapshot_SmallSets_TakeTheSampleAtRankCeilingOfPTimesN(int[] milliseconds, int p50, int p95)
    {
        var window = new ModelLatencyWindow(FiveMinutes, 64, _time);
        foreach (var ms in milliseconds)
        {
            window.RecordSuccess(TimeSpan.FromMilliseconds(ms), timeToFirstToken: null, outputTokens: null);
        }

        var duration = window.GetSnapshot().Duration!.Value;

        Assert.Equal(TimeSpan.FromMilliseconds(p50), duration.P50);
        Assert.Equal(TimeSpan.FromMilliseconds(p95), duration.P95);
    }

    [Fact]
    public void GetSnapshot_RequestsOlderThanTheWindow_AreLeftOut()
    {
        var window = new ModelLatencyWindow(FiveMinutes, 64, _time);
        window.RecordSuccess(TimeSpan.FromMilliseconds(900), null, null);
        _time.Advance(TimeSpan.FromMinutes(2));
        window.RecordSuccess(TimeSpan.FromMilliseconds(100), null, null);
        window.RecordFailure(TimeSpan.FromMilliseconds(3));

        _time.Advance(TimeSpan.FromMinutes(3));
        var atTheEdge = window.GetSnapshot();
        _time.Advance(TimeSpan.FromTicks(1));
        var pastTheEdge = window.GetSnapshot();
        _time.Advance(TimeSpan.FromMinutes(2));
        var allGone = window.GetSnapshot();

        Assert.Equal(3, atTheEdge.Requests);
        Assert.Equal(TimeSpan.FromMilliseconds(900), atTheEdge.Duration!.Value.P95);
        Assert.Equal(2, pastTheEdge.Requests);
        Assert.Equal(1, pastTheEdge.Errors);
        Assert.Equal(new LatencyPercentiles(TimeSpan.FromMilliseconds(100), TimeSpan.FromMilliseconds(100)), pastTheEdge.Duration);
        Assert.Equal(0, allGone.Requests);
        Assert.Null(allGone.Duration);
    }

    [Fact]
    public void GetSnapshot_Failures_CountAsRequestsAndErrorsButNotInLatency()
    {
        var window = new ModelLatencyWindow(FiveMinutes, 64, _time);
        window.RecordSuccess(TimeSpan.FromMilliseconds(400), TimeSpan.FromMilliseconds(100), 20);
        window.RecordFailure(TimeSpan.FromMilliseconds(1));
        window.RecordFailure(TimeSpan.FromSeconds(30));

        var snapshot = window.GetSnapshot();

        Assert.Equal(3, snapshot.Requests);
        Assert.Equal(2, snapshot.Errors);
        Assert.Equal(new LatencyPercentiles(TimeSpan.FromMilliseconds(400), TimeSpan.FromMilliseconds(400)), snapshot.Duration);
        Assert.Equal(new LatencyPercentiles(TimeSpan.FromMilliseconds(100), TimeSpan.FromMilliseconds(100)), snapshot.TimeToFirstToken);
    }

    [Fact]
    public void GetSnapshot_OutputTokensPerSecond_DividesTokensByGenerationTime()
    {
        var window = new ModelLatencyWindow(FiveMinutes, 64, _time);
        // Streamed: 30 tokens over 2 s, of which 0.5 s waiting for the first: 1.5 s generating.
        window.RecordSuccess(TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(0.5), 30);
        // Not streamed: 10 tokens over its whole 1 s.
        window.RecordSuccess(TimeSpan.FromSeconds(1), null, 10);
        // No usage reported: no part in the rate.
        window.RecordSuccess(TimeSpan.FromSeconds(7), TimeSpan.FromSeconds(1), null);

        var snapshot = window.GetSnapshot();

        Assert.Equal(40 / 2.5, snapshot.OutputTokensPerSecond);
        Assert.Equal(3, snapshot.Requests);
    }

    [Fact]
    public void GetSnapshot_MoreRequestsThanTheLimit_KeepsTheNewestAndSaysSo()
    {
        var window = new ModelLatencyWindow(FiveMinutes, 4, _time);
        for (var ms = 1; ms <= 6; ms++)
        {
            window.RecordSuccess(TimeSpan.FromMilliseconds(ms), null, null);
        }

        var snapshot = window.GetSnapshot();

        Assert.Equal(4, snapshot.Requests);
        Assert.True(snapshot.SampleLimitReached);
        // Kept: 3, 4, 5, 6 ms.
        Assert.Equal(new LatencyPercentiles(TimeSpan.FromMilliseconds(4), TimeSpan.FromMilliseconds(6)), snapshot.Duration);
    }

    [Fact]
    public void GetSnapshot_FullRingPartlyExpired_DoesNotClaimTheLimitWasReached()
    {
        var window = new ModelLatencyWindow(FiveMinutes, 2, _time);
        window.RecordSuccess(TimeSpan.FromMilliseconds(1), null, null);
        _time.Advance(TimeSpan.FromMinutes(10));
        window.RecordSuccess(TimeSpan.FromMilliseconds(2), null, null);

        var snapshot = window.GetSnapshot();

        Assert.Equal(1, snapshot.Requests);
        Assert.False(snapshot.SampleLimitReached);
    }

    [Fact]
    public void Constructor_NonPositiveWindowOrLimit_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new ModelLatencyWindow(TimeSpan.Zero, 4, _time));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ModelLatencyWindow(FiveMinutes, 0, _time));
    }
}
