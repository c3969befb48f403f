using Gateway.Benchmarks.Onnx;
using Gateway.Benchmarks.Storage.Postgres;
using Gateway.Rag;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Npgsql;

namespace Gateway.Benchmarks.Rag;

/// <summary>
/// The services the ingestion benchmarks run: the gateway with the bundled ONNX embedding model (CPU), RAG, and
/// SQLite (a fresh file under <c>$TMPDIR/gateway-bench/</c>) or PostgreSQL (database
/// <c>gateway_bench_ingestion</c> on the benchmark server, <see cref="PostgresBench"/>, kept between runs; every
/// run ingests into a new collection).
/// </summary>
internal static class IngestionHost
{
    /// <summary>What <see cref="RagService"/> sends the model at once.</summary>
    public const int BatchSize = 32;

    public static async Task<(ServiceProvider Services, RagService Rag)> StartAsync(string backend)
    {
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>()).Build());
        services.AddLogging();
        var gateway = services.AddGateway();
        gateway.AddOnnxEmbeddings(options => options.ExecutionProvider = EmbeddingBench.Provider);
        if (backend == "postgres")
        {
            var connectionString = PostgresBench.KeptDatabase("gateway_bench_ingestion");
            gateway.AddPostgresStorage(options => options.ConnectionString = connectionString);
        }
        else
        {
            var folder = Path.Combine(Path.GetTempPath(), "gateway-bench", "ingestion");
            Directory.CreateDirectory(folder);
            var path = Path.Combine(folder, $"ingestion-{Guid.NewGuid():N}.db");
            gateway.AddSqliteStorage(options => options.Path = path);
        }

        gateway.AddRag();
        var provider = services.BuildServiceProvider();
        foreach (var hosted in provider.GetServices<IHostedService>())
        {
            await hosted.StartAsync(CancellationToken.None);
        }

        return (provider, provider.GetRequiredService<RagService>());
    }

    public static void Stop(ServiceProvider services)
    {
        foreach (var hosted in services.GetServices<IHostedService>().Reverse())
        {
            hosted.StopAsync(CancellationToken.None).GetAwaiter().GetResult();
        }

        services.DisposeAsync().AsTask().GetAwaiter().GetResult();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        NpgsqlConnection.ClearAllPools();
    }
}
