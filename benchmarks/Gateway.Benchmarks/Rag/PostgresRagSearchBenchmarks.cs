using System.Diagnostics;
using BenchmarkDotNet.Attributes;
using Gateway.Benchmarks.Storage.Postgres;
using Gateway.Core.Storage.Rag;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Gateway.Benchmarks.Rag;

/// <summary>
/// <see cref="RagSearchBenchmarkSuite"/> on PostgreSQL: the same corpus written through the store into database
/// <c>gateway_bench_rag_v1</c> on the benchmark server (<see cref="PostgresBench"/>; written once, kept), searched
/// with the shipped settings: pgvector's HNSW index for unfiltered vector searches, its iterative scan under a
/// filter, tsvector ranking over the newest <c>SearchCandidateLimit</c> matches for keywords. The baseline is the
/// vector search alone (pgvector) in the same run.
/// </summary>
[MemoryDiagnoser]
[Config(typeof(RagSearchConfig))]
public class PostgresRagSearchBenchmarks : RagSearchBenchmarkSuite
{
    private const string DatabaseName = "gateway_bench_rag_v1";

    /// <inheritdoc />
    protected override void AddStorage(IGatewayBuilder gateway)
    {
        var connectionString = PostgresBench.KeptDatabase(DatabaseName);
        gateway.AddPostgresStorage(options => options.ConnectionString = connectionString);
    }

    /// <inheritdoc />
    protected override async Task PrepareAsync(IServiceProvider services, RagCollection collection, string query)
    {
        var watch = Stopwatch.StartNew();
        await using (var connection = new NpgsqlConnection(PostgresBench.Database(DatabaseName)))
        {
            await connection.OpenAsync();
            await using var analyze = new NpgsqlCommand("ANALYZE rag_chunks", connection);
            await analyze.ExecuteNonQueryAsync();
            await using var count = new NpgsqlCommand(
                "SELECT count(*) FROM rag_chunks WHERE collection_id = @collection AND search @@ websearch_to_tsquery('gateway_search', @query)", connection);
            count.Parameters.AddWithValue("collection", collection.Id);
            count.Parameters.AddWithValue("query", query);
            Console.WriteLine($"// PostgreSQL: '{query}' matches about {await count.ExecuteScalarAsync():N0} of {collection.ChunkCount:N0} chunks (websearch tsquery; analysed in {watch.Elapsed.TotalSeconds:F1} s)");
        }

        var (_, queries) = Vectors.VectorBenchData.Get(RagSearchCorpus.ChunkCount);
        await services.GetRequiredService<IVectorStore>().SearchAsync(new VectorSearchRequest([collection.Id], queries.AsMemory(0, RagSearchCorpus.Dimensions), 10));
    }

    /// <inheritdoc />
    protected override void Close() => NpgsqlConnection.ClearAllPools();
}
