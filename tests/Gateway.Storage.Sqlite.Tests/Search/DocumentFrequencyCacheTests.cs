using Gateway.Storage.Sqlite.Search;

namespace Gateway.Storage.Sqlite.Tests.Search;

public sealed class DocumentFrequencyCacheTests
{
    [Fact]
    public void TryGet_WithinLifetimeAndSimilarIndex_ReturnsTheCount()
    {
        var clock = new ManualClock();
        var cache = new DocumentFrequencyCache(clock, TimeSpan.FromMinutes(5));
        cache.Set("\"vet\"", 1_000_000, 494_180);
        clock.Advance(TimeSpan.FromMinutes(4));

        Assert.True(cache.TryGet("\"vet\"", 1_090_000, out var frequency));
        Assert.Equal(494_180, frequency);
        Assert.False(cache.TryGet("\"vat\"", 1_000_000, out _));
    }

    [Fact]
    public void TryGet_AfterLifetime_MissesSoTheTermIsCountedAgain()
    {
        var clock = new ManualClock();
        var cache = new DocumentFrequencyCache(clock, TimeSpan.FromMinutes(5));
        cache.Set("\"vet\"", 1_000, 10);
        clock.Advance(TimeSpan.FromMinutes(5));

        Assert.False(cache.TryGet("\"vet\"", 1_000, out _));
    }

    [Theory]
    [InlineData(1_101)]
    [InlineData(899)]
    public void TryGet_IndexChangedByMoreThanATenth_Misses(long rowCount)
    {
        var cache = new DocumentFrequencyCache(new ManualClock(), TimeSpan.FromMinutes(5));
        cache.Set("\"vet\"", 1_000, 10);

        Assert.False(cache.TryGet("\"vet\"", rowCount, out _));
    }

    [Fact]
    public void Set_AtCapacity_StartsOverWithTheNewTerm()
    {
        var cache = new DocumentFrequencyCache(new ManualClock(), TimeSpan.FromMinutes(5), capacity: 2);
        cache.Set("a", 100, 1);
        cache.Set("b", 100, 2);
        cache.Set("c", 100, 3);

        Assert.False(cache.TryGet("a", 100, out _));
        Assert.True(cache.TryGet("c", 100, out var frequency));
        Assert.Equal(3, frequency);
    }

    private sealed class ManualClock : TimeProvider
    {
        private DateTimeOffset _now = new(2026, 11, 26, 0, 0, 0, TimeSpan.Zero);

        public override DateTimeOffset GetUtcNow() => _now;

        public void Advance(TimeSpan by) => _now += by;
    }
}
