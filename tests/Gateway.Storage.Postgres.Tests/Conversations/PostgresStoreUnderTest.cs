using Gateway.Core.Storage.Conversations;
using Gateway.Core.Storage.Jobs;
using Gateway.Core.Storage.Profiles;
using Gateway.Core.Storage.Rag;
using Gateway.Core.Storage.Spaces;
using Gateway.Storage.Conformance;
using Gateway.Storage.Postgres.Conversations;
using Gateway.Storage.Postgres.Jobs;
using Gateway.Storage.Postgres.Profiles;
using Gateway.Storage.Postgres.Rag;
using Gateway.Storage.Postgres.Search;
using Gateway.Storage.Postgres.Spaces;
using Gateway.Storage.Postgres.Tests.Infrastructure;

namespace Gateway.Storage.Postgres.Tests.Conversations;

/// <summary>A fresh database on the test server, migrated to the newest version; disposing the first client drops it.</summary>
public sealed class PostgresStoreUnderTest : StoreUnderTest
{
    private readonly bool _ownsDatabase;

    private PostgresStoreUnderTest(PostgresDatabase database, string connectionString, bool ownsDatabase)
    {
        Database = database;
        ConnectionString = connectionString;
        _ownsDatabase = ownsDatabase;
        Conversations = new PostgresConversationStore(database);
        Profiles = new PostgresModelProfileStore(database);
        Spaces = new PostgresSpaceStore(database);
        Archive = new PostgresConversationArchive(database);
        Search = new PostgresMessageSearch(database);
        RagCollections = new PostgresRagCollectionStore(database);
        Vectors = new PostgresVectorStore(database);
        Jobs = PostgresJobStore.Create(database);
    }

    /// <summary>The database the stores share.</summary>
    public PostgresDatabase Database { get; }

    /// <summary>The test role's connection string for it.</summary>
    public string ConnectionString { get; }

    /// <inheritdoc />
    public override IConversationStore Conversations { get; }

    /// <inheritdoc />
    public override IMessageSearch Search { get; }

    /// <inheritdoc />
    public override IModelProfileStore Profiles { get; }

    /// <inheritdoc />
    public override ISpaceStore Spaces { get; }

    /// <inheritdoc />
    public override IConversationArchive Archive { get; }

    /// <inheritdoc />
    public override IRagCollectionStore RagCollections { get; }

    /// <inheritdoc />
    public override IVectorStore Vectors { get; }

    /// <inheritdoc />
    public override IJobStore Jobs { get; }

    /// <inheritdoc />
    public override IJobStore OpenJobStore(TimeProvider time) => PostgresJobStore.Create(Database, time);

    /// <inheritdoc />
    public override IRagSourceStore OpenRagSourceStore(TimeProvider time) => PostgresRagSourceStore.Create(Database, time);

    /// <summary>Creates a migrated database.</summary>
    public static async Task<PostgresStoreUnderTest> CreateAsync()
    {
        var connectionString = await PostgresServer.CreateDatabaseAsync();
        var database = PostgresDatabase.Create(connectionString);
        await PostgresMigrationBackend.CreateRunner(database.DataSource).UpAsync();
        return new PostgresStoreUnderTest(database, connectionString, ownsDatabase: true);
    }

    /// <summary>The search vector is a generated column: written with the row, never behind.</summary>
    public override Task CatchUpSearchIndexAsync(CancellationToken cancellationToken = default) => Task.CompletedTask;

    /// <summary>Another data source (another connection pool) on the same database, as another replica has.</summary>
    public override Task<StoreUnderTest> OpenSecondClientAsync() =>
        Task.FromResult<StoreUnderTest>(new PostgresStoreUnderTest(PostgresDatabase.Create(ConnectionString), ConnectionString, ownsDatabase: false));

    /// <inheritdoc />
    public override async ValueTask DisposeAsync()
    {
        await Database.DisposeAsync();
        if (_ownsDatabase)
        {
            await PostgresServer.DropDatabaseAsync(ConnectionString);
        }
    }
}
