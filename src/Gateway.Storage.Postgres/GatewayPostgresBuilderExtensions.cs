using Gateway.Core.Storage.Conversations;
using Gateway.Core.Storage.Jobs;
using Gateway.Core.Storage.Profiles;
using Gateway.Core.Storage.Rag;
using Gateway.Core.Storage.Spaces;
using Gateway.Storage.Postgres;
using Gateway.Storage.Postgres.Conversations;
using Gateway.Storage.Postgres.Internal;
using Gateway.Storage.Postgres.Jobs;
using Gateway.Storage.Postgres.Profiles;
using Gateway.Storage.Postgres.Rag;
using Gateway.Storage.Postgres.Search;
using Gateway.Storage.Postgres.Spaces;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using static Gateway.Storage.Relational.StorageRegistration;
using Npgsql;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Adds PostgreSQL storage to the gateway.</summary>
public static class GatewayPostgresBuilderExtensions
{
    /// <summary>
    /// Stores conversations and messages, their search index and archives, model profiles, spaces, RAG collections with their vectors, and durable jobs with their events in PostgreSQL, shared by every
    /// gateway replica that points at the same database. The database is, in order: <see cref="PostgresStorageOptions.ConnectionString"/>
    /// (set in code, <c>Gateway:Postgres:ConnectionString</c> or <c>GATEWAY_DB</c>); the <see cref="NpgsqlDataSource"/> the app
    /// registered (<c>AddNpgsqlDataSource</c>). Registers <see cref="PostgresDatabase"/>, <see cref="IConversationStore"/>,
    /// <see cref="IConversationArchive"/>, <see cref="IMessageSearch"/>, <see cref="IModelProfileStore"/>, <see cref="ISpaceStore"/>, <see cref="IRagCollectionStore"/>, <see cref="IRagSourceStore"/>,
    /// <see cref="IVectorStore"/>, <see cref="IJobStore"/> (claimed <c>FOR UPDATE SKIP LOCKED</c>), and a hosted service that migrates the
    /// database at start-up under an advisory lock (<see cref="PostgresStorageOptions.MigrateOnStart"/>).
    /// Services the app registered first are kept. Safe to call more than once; each
    /// <paramref name="configure"/> is applied in call order.
    /// </summary>
    public static IGatewayBuilder AddPostgresStorage(this IGatewayBuilder builder, Action<PostgresStorageOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        if (!TryAddStorage<PostgresStorageOptions, PostgresStorageOptionsValidator>(services, configure))
        {
            return builder;
        }

        builder.MapEnvironmentVariables(PostgresEnvironmentVariables.Map);
        services.AddOptions<PostgresStorageOptions>().BindGatewayConfiguration(PostgresStorageOptions.SectionName);
        services.TryAddSingleton(sp =>
        {
            var settings = sp.GetRequiredService<IOptions<PostgresStorageOptions>>().Value;
            var time = sp.GetRequiredService<TimeProvider>();
            if (settings.ConnectionString is null && sp.GetService<NpgsqlDataSource>() is { } registered)
            {
                // The app's data source: the app owns it and the container disposes it.
                return new PostgresDatabase(registered, time: time);
            }

            return PostgresDatabase.Create(
                settings.ConnectionString
                    ?? throw new InvalidOperationException($"PostgreSQL storage has no database: set {PostgresEnvironmentVariables.Database} or register an NpgsqlDataSource."),
                time);
        });
        TryAddStore<IConversationStore, PostgresDatabase>(services, (database, time) => new PostgresConversationStore(database, time));
        services.TryAddSingleton<IConversationArchive>(sp => new PostgresConversationArchive(sp.GetRequiredService<PostgresDatabase>()));
        services.TryAddSingleton<IMessageSearch>(sp => new PostgresMessageSearch(
            sp.GetRequiredService<PostgresDatabase>(), sp.GetRequiredService<IOptions<PostgresStorageOptions>>().Value.SearchCandidateLimit));
        TryAddStore<IModelProfileStore, PostgresDatabase>(services, (database, time) => new PostgresModelProfileStore(database, time));
        TryAddStore<ISpaceStore, PostgresDatabase>(services, (database, time) => new PostgresSpaceStore(database, time));
        TryAddStore<IRagCollectionStore, PostgresDatabase>(services, (database, time) => new PostgresRagCollectionStore(database, time));
        TryAddStore<IRagSourceStore, PostgresDatabase>(services, PostgresRagSourceStore.Create);
        services.TryAddSingleton<IVectorStore>(sp => new PostgresVectorStore(
            sp.GetRequiredService<PostgresDatabase>(), sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<IOptions<PostgresStorageOptions>>().Value.SearchCandidateLimit));
        TryAddStore<IJobStore, PostgresDatabase>(services, PostgresJobStore.Create);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, PostgresMigrationService>());
        return builder;
    }
}
