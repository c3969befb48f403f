using System.Diagnostics;
using BenchmarkDotNet.Attributes;
using Gateway.Benchmarks.Vectors;
using Gateway.Core.Storage.Conversations;
using Gateway.Core.Storage.Rag;
using Gateway.Storage.Sqlite;
using Gateway.Storage.Sqlite.Search;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Benchmarks.Rag;

/// <summary>
/// <see cref="RagSearchBenchmarkSuite"/> on SQLite: the corpus in <c>$TMPDIR/gateway-bench/rag-search-v1.db</c>
/// (written once, a few minutes), searched with the shipped settings, where a collection of 100,000 chunks
/// has an HNSW index (<c>VectorIndex = hnsw</c>; built once and kept beside the file, loaded on later runs),
/// and with indexes off (<c>exact</c>: every unfiltered vector search scans all rows). Filtered searches
/// are exact either way.
/// </summary>
[MemoryDiagnoser]
[Config(typeof(RagSearchConfig))]
public class RagSearchBenchmarks : RagSearchBenchmarkSuite
{
    private static readonly string DatabasePath = Path.Combine(Path.GetTempPath(), "gateway-bench", "rag-search-v1.db");

    [Params("hnsw", "exact")]
    public string VectorIndex { get; set; } = "hnsw";

    /// <inheritdoc />
    protected override void AddStorage(IGatewayBuilder gateway)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(DatabasePath)!);
        gateway.AddSqliteStorage(options =>
        {
            options.Path = DatabasePath;
            options.RagHnswMinChunks = VectorIndex == "hnsw" ? new SqliteStorageOptions().RagHnswMinChunks : 0;
        });
    }

    /// <inheritdoc />
    protected override async Task PrepareAsync(IServiceProvider services, RagCollection collection, string query)
    {
        var database = services.GetRequiredService<SqliteDatabase>();
        var vectors = services.GetRequiredService<IVectorStore>();
        var watch = Stopwatch.StartNew();
        var (_, queries) = VectorBenchData.Get(RagSearchCorpus.ChunkCount);
        await vectors.SearchAsync(new VectorSearchRequest([collection.Id], queries.AsMemory(0, RagSearchCorpus.Dimensions), 10));
        if (database.VectorMirrors.Indexes is { } indexes)
        {
            await indexes.WhenIdle(collection.Id);
        }

        Console.WriteLine($"// SQLite: vectors loaded{(VectorIndex == "hnsw" ? " and HNSW index loaded or built" : "")} in {watch.Elapsed.TotalSeconds:F1} s");
        await using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = DatabasePath, Mode = SqliteOpenMode.ReadOnly }.ToString());
        await connection.OpenAsync();
        await using var count = connection.CreateCommand();
        count.CommandText = "SELECT count(*) FROM rag_chunks_fts WHERE rag_chunks_fts MATCH $match";
        count.Parameters.AddWithValue("$match", Fts5QueryRenderer.Render(SearchQuerySyntax.Parse(query)));
        Console.WriteLine($"// '{query}' matches {await count.ExecuteScalarAsync():N0} of {collection.ChunkCount:N0} chunks");
    }

    /// <inheritdoc />
    protected override void Close() => SqliteConnection.ClearAllPools();
}
