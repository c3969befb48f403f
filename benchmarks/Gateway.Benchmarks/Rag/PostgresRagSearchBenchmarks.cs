using System.Diagnostics;
using BenchmarkDotNet.Attributes;
using Gateway.Benchmarks.Storage.Postgres;
using Gateway.Core.Storage.Rag;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Npgsql;

namespace Gateway.Benchmarks.Rag;

/// <summary>
/// <see cref="RagSearchBenchmarkSuite"/> on PostgreSQL: the same corpus written through the store into database
/// <c>gateway_bench_rag_v1</c> on the benchmark server (<see cref="PostgresBench"/>; written once, kept), searched
/// with the shipped settings: pgvector's HNSW index for unfiltered vector searches, its iterative scan under a
/// filter, tsvector ranking over the newest <c>SearchCandidateLimit</c> matches for keywords. The baseline is the
/// vector search alone (pgvector) in the same run. Write the corpus first with <c>-- pg-rag-corpus</c>.
/// </summary>
[MemoryDiagnoser]
[Config(typeof(RagSearchConfig))]
public class PostgresRagSearchBenchmarks : RagSearchBenchmarkSuite
{
    private const string DatabaseName = "gateway_bench_rag_v1";

    /// <summary>
    /// Writes the corpus (or the rest of it) outside BenchmarkDotNet, whose in-process runs stop a setup after
    /// minutes: about 15 minutes on the loaded 2-core machine, as pgvector's HNSW index takes every row.
    /// </summary>
    public static async Task EnsureCorpusAsync(TextWriter log)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        AddPostgres(services.AddGateway());
        await using var provider = services.BuildServiceProvider();
        var hosted = provider.GetServices<IHostedService>().ToArray();
        foreach (var service in hosted)
        {
            await service.StartAsync(CancellationToken.None);
        }

        var collection = await RagSearchCorpus.EnsureAsync(provider.GetRequiredService<IRagCollectionStore>(), log);
        await log.WriteLineAsync($"// PostgreSQL RAG corpus: {collection.ChunkCount:N0} chunks in {collection.DocumentCount:N0} documents");
        foreach (var service in hosted.Reverse())
        {
            await service.StopAsync(CancellationToken.None);
        }
    }

    /// <inheritdoc />
    protected override void AddStorage(IGatewayBuilder gateway) => AddPostgres(gateway);

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

    private static void AddPostgres(IGatewayBuilder gateway)
    {
        var connectionString = PostgresBench.KeptDatabase(DatabaseName);
        gateway.AddPostgresStorage(options => options.ConnectionString = connectionString);
    }

    /// <inheritdoc />
    protected override void Close() => NpgsqlConnection.ClearAllPools();
}
