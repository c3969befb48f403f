using Gateway.Core.Storage.Conversations;
using Gateway.Core.Storage.Jobs;
using Gateway.Core.Storage.Profiles;
using Gateway.Core.Storage.Rag;
using Gateway.Core.Storage.Spaces;
using Gateway.Storage.Sqlite;
using Gateway.Storage.Sqlite.Conversations;
using Gateway.Storage.Sqlite.Internal;
using Gateway.Storage.Sqlite.Jobs;
using Gateway.Storage.Sqlite.Profiles;
using Gateway.Storage.Sqlite.Rag;
using Gateway.Storage.Sqlite.Search;
using Gateway.Storage.Sqlite.Spaces;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using static Gateway.Storage.Relational.StorageRegistration;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Adds SQLite storage to the gateway.</summary>
public static class GatewaySqliteBuilderExtensions
{
    /// <summary>
    /// Stores conversations and messages, their search index and archives, model profiles, spaces and RAG
    /// collections with their documents, chunks and vectors, and durable jobs with their events in one SQLite file: the <c>GATEWAY_DB</c> path
    /// unless <see cref="SqliteStorageOptions.Path"/> names another. Registers <see cref="SqliteDatabase"/>,
    /// <see cref="IConversationStore"/>, <see cref="IConversationArchive"/>, <see cref="IMessageSearch"/>,
    /// <see cref="IModelProfileStore"/>, <see cref="ISpaceStore"/>, <see cref="IRagCollectionStore"/>, <see cref="IRagSourceStore"/>,
    /// <see cref="IVectorStore"/>, <see cref="IJobStore"/>, and two hosted services: one migrates the file to the newest schema at
    /// start-up (<see cref="SqliteStorageOptions.MigrateOnStart"/>), the other brings the search index up
    /// to date after imports. Services the app registered first are kept. Safe to call more than once;
    /// each <paramref name="configure"/> is applied in call order.
    /// </summary>
    public static IGatewayBuilder AddSqliteStorage(this IGatewayBuilder builder, Action<SqliteStorageOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        if (!TryAddStorage<SqliteStorageOptions, SqliteStorageOptionsValidator>(services, configure))
        {
            return builder;
        }

        builder.MapEnvironmentVariables(SqliteEnvironmentVariables.Map);
        services.AddOptions<SqliteStorageOptions>().BindGatewayConfiguration(SqliteStorageOptions.SectionName);
        services.TryAddSingleton(sp =>
        {
            var settings = sp.GetRequiredService<IOptions<SqliteStorageOptions>>().Value;
            var database = new SqliteDatabase(
                settings.Path ?? SqliteEnvironmentVariables.DefaultPath, settings.BusyTimeout, sp.GetRequiredService<TimeProvider>());
            database.UseVectorSearch(
                new RagVectorSearchSettings(settings.RagHnswMinChunks, settings.RagVectorQuantization, settings.RagRescoreOversampling, settings.RagMirrorMaxBytes),
                sp.GetService<ILoggerFactory>()?.CreateLogger<SqliteDatabase>() ?? (ILogger)NullLogger.Instance);
            return database;
        });
        services.TryAddSingleton(sp => new SqliteSearchIndexer(
            sp.GetRequiredService<SqliteDatabase>(), sp.GetRequiredService<IOptions<SqliteStorageOptions>>().Value.IndexBatchSize));
        TryAddStore<IConversationStore, SqliteDatabase>(services, (database, time) => new SqliteConversationStore(database, time));
        services.TryAddSingleton<IConversationArchive>(sp => new SqliteConversationArchive(
            sp.GetRequiredService<SqliteDatabase>(), sp.GetRequiredService<SqliteSearchIndexer>()));
        services.TryAddSingleton<IMessageSearch>(sp => new SqliteMessageSearch(
            sp.GetRequiredService<SqliteDatabase>(), sp.GetRequiredService<SqliteSearchIndexer>(),
            sp.GetRequiredService<IOptions<SqliteStorageOptions>>().Value.SearchCandidateLimit, sp.GetRequiredService<TimeProvider>()));

        TryAddStore<IModelProfileStore, SqliteDatabase>(services, (database, time) => new SqliteModelProfileStore(database, time));
        TryAddStore<ISpaceStore, SqliteDatabase>(services, (database, time) => new SqliteSpaceStore(database, time));
        TryAddStore<IRagCollectionStore, SqliteDatabase>(services, (database, time) => new SqliteRagCollectionStore(database, time));
        TryAddStore<IRagSourceStore, SqliteDatabase>(services, SqliteRagSourceStore.Create);
        services.TryAddSingleton<IVectorStore>(sp => new SqliteVectorStore(
            sp.GetRequiredService<SqliteDatabase>(), sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<IOptions<SqliteStorageOptions>>().Value.SearchCandidateLimit));
        TryAddStore<IJobStore, SqliteDatabase>(services, SqliteJobStore.Create);

        // Hosted services start in registration order: the schema is current before the indexer runs.
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, SqliteMigrationService>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, SqliteSearchIndexService>());
        return builder;
    }
}
