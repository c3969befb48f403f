using Gateway.Core.Tests.Vectors;
using Gateway.Core.Vectors;
using Gateway.Storage.Sqlite.Rag.Hnsw;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit.Abstractions;

namespace Gateway.Storage.Sqlite.Tests.Rag.Hnsw;

public sealed class CollectionHnswIndexTests(ITestOutputHelper output) : IDisposable
{
    private const int Dimensions = 384;
    private static readonly Lazy<(float[] Rows, float[] Queries)> Set = new(() => VectorTestData.Clustered(seed: 5, rows: 6_000, queries: 50, Dimensions, clusters: 60));
    private readonly string _folder = Directory.CreateTempSubdirectory("hnsw-tests-").FullName;

    [Fact]
    public void Search_ClusteredSet_RecallAtTenAtLeastNinetyFivePercentOfExact()
    {
        var (rows, queries) = Set.Value;
        using var index = CollectionHnswIndex.Build(new ArraySource(rows, Dimensions, 1), CancellationToken.None);
        var keys = Enumerable.Range(0, rows.Length / Dimensions).ToDictionary(r => HnswKey.Of(ArraySource.Key(r)));

        var recall = VectorTestData.Recall(rows, queries, Dimensions, 10,
            query => [.. index.Search(query, 10).Select(key => new ScoredRow(keys[key], 0))]);

        output.WriteLine($"HNSW recall@10 {recall:F4} over {keys.Count} rows (M {CollectionHnswIndex.Connectivity}, ef {CollectionHnswIndex.ExpansionSearch})");
        Assert.True(recall >= 0.95, $"recall@10 {recall:F4}");
    }

    [Fact]
    public void Apply_DeletesAndReplaces_AreHonouredAndMoveTheVersion()
    {
        var rows = VectorTestData.Gaussian(3, 500, 16);
        using var index = CollectionHnswIndex.Build(new ArraySource(rows, 16, 7), CancellationToken.None);
        var replacement = VectorMath.Normalized(VectorTestData.Gaussian(4, 1, 16));

        Assert.False(index.Apply(6, 8, [ArraySource.Key(1)], []));
        Assert.True(index.Apply(7, 8, [ArraySource.Key(1)], [(ArraySource.Key(2), replacement)]));

        Assert.Equal(8, index.Version);
        Assert.Equal(499, index.Count);
        Assert.DoesNotContain(HnswKey.Of(ArraySource.Key(1)), index.Search(rows[16..32], 20));
        Assert.Equal(HnswKey.Of(ArraySource.Key(2)), index.Search(replacement, 1)[0]);
        Assert.NotEqual(HnswKey.Of(ArraySource.Key(2)), index.Search(rows[32..48], 1)[0]);
    }

    [Fact]
    public void Forget_BeforeAnyIndexWasSaved_LeavesNothingToDeleteAndDoesNotThrow()
    {
        var folder = Path.Combine(_folder, "never-created.hnsw");
        using var indexes = new CollectionHnswIndexes(new HnswIndexFiles(folder), minChunks: 1_000, NullLogger.Instance);

        indexes.Forget("col");

        Assert.False(Directory.Exists(folder));
    }

    [Fact]
    public async Task Current_BelowTheMinimum_IsNeverBuilt()
    {
        using var indexes = new CollectionHnswIndexes(new HnswIndexFiles(_folder), minChunks: 1_000, NullLogger.Instance);

        Assert.Null(indexes.Current("col", new ArraySource(VectorTestData.Gaussian(1, 999, 8), 8, 1)));
        await indexes.WhenIdle("col");
        Assert.Empty(Directory.GetFiles(_folder));
    }

    [Fact]
    public async Task Current_BuildsInTheBackgroundSavesBesideTheDatabaseAndLoadsWhileCurrent()
    {
        var rows = VectorTestData.Gaussian(2, 2_000, 32);
        var files = new HnswIndexFiles(_folder);
        var source = new ArraySource(rows, 32, 3);

        using (var indexes = new CollectionHnswIndexes(files, minChunks: 100, NullLogger.Instance))
        {
            Assert.Null(indexes.Current("col", source));
            await indexes.WhenIdle("col");
            Assert.Equal(3, indexes.Current("col", source)!.Version);
        }

        Assert.True(files.IsCurrent("col", source));
        var saved = File.GetLastWriteTimeUtc(files.IndexPath("col"));
        using (var indexes = new CollectionHnswIndexes(files, minChunks: 100, NullLogger.Instance))
        {
            Assert.Null(indexes.Current("col", source));
            await indexes.WhenIdle("col");
            Assert.Equal(2_000, indexes.Current("col", source)!.Count);
        }

        Assert.Equal(saved, File.GetLastWriteTimeUtc(files.IndexPath("col")));
    }

    [Fact]
    public async Task Current_AnotherVersionOnDisk_IsStaleAndRebuilt()
    {
        var rows = VectorTestData.Gaussian(2, 1_000, 32);
        var files = new HnswIndexFiles(_folder);
        using (var indexes = new CollectionHnswIndexes(files, minChunks: 100, NullLogger.Instance))
        {
            indexes.Current("col", new ArraySource(rows, 32, 3));
            await indexes.WhenIdle("col");
        }

        var changed = new ArraySource(rows[..(999 * 32)], 32, 4);
        Assert.False(files.IsCurrent("col", changed));
        using (var indexes = new CollectionHnswIndexes(files, minChunks: 100, NullLogger.Instance))
        {
            Assert.Null(indexes.Current("col", changed));
            await indexes.WhenIdle("col");
            Assert.Equal(999, indexes.Current("col", changed)!.Count);
        }

        Assert.True(files.IsCurrent("col", changed));
    }

    [Fact]
    public async Task Dispose_AfterAppliedWrites_SavesTheIndexAtItsNewVersion()
    {
        var rows = VectorTestData.Gaussian(2, 1_000, 32);
        var files = new HnswIndexFiles(_folder);
        using (var indexes = new CollectionHnswIndexes(files, minChunks: 100, NullLogger.Instance))
        {
            indexes.Current("col", new ArraySource(rows, 32, 3));
            await indexes.WhenIdle("col");
            indexes.Apply("col", 3, 4, [ArraySource.Key(999)], []);
        }

        Assert.True(files.IsCurrent("col", new ArraySource(rows[..(999 * 32)], 32, 4)));
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}
