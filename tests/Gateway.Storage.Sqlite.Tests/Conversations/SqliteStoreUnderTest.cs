using Gateway.Core.Storage.Conversations;
using Gateway.Core.Storage.Jobs;
using Gateway.Core.Storage.Profiles;
using Gateway.Core.Storage.Rag;
using Gateway.Core.Storage.Spaces;
using Gateway.Storage.Conformance;
using Gateway.Storage.Sqlite.Conversations;
using Gateway.Storage.Sqlite.Jobs;
using Gateway.Storage.Sqlite.Profiles;
using Gateway.Storage.Sqlite.Rag;
using Gateway.Storage.Sqlite.Search;
using Gateway.Storage.Sqlite.Spaces;
using Microsoft.Data.Sqlite;

namespace Gateway.Storage.Sqlite.Tests.Conversations;

/// <summary>A fresh SQLite file in a temporary folder, migrated to the newest version; disposing a client disposes its database, and disposing the first deletes the folder.</summary>
public sealed class SqliteStoreUnderTest : StoreUnderTest
{
    private readonly string? _folder;

    private SqliteStoreUnderTest(SqliteDatabase database, string? folder)
    {
        Database = database;
        _folder = folder;
        Indexer = new SqliteSearchIndexer(database);
        Conversations = new SqliteConversationStore(database);
        Profiles = new SqliteModelProfileStore(database);
        Spaces = new SqliteSpaceStore(database);
        Archive = new SqliteConversationArchive(database, Indexer);
        Search = new SqliteMessageSearch(database, Indexer);
        RagCollections = new SqliteRagCollectionStore(database);
        Vectors = new SqliteVectorStore(database);
        Jobs = SqliteJobStore.Create(database);
    }

    /// <summary>The database the stores share.</summary>
    public SqliteDatabase Database { get; }

    /// <summary>The search indexer over <see cref="Database"/>.</summary>
    public SqliteSearchIndexer Indexer { get; }

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
    public override IJobStore OpenJobStore(TimeProvider time) => SqliteJobStore.Create(Database, time);

    /// <inheritdoc />
    public override IRagSourceStore OpenRagSourceStore(TimeProvider time) => SqliteRagSourceStore.Create(Database, time);

    /// <summary>Creates a migrated database in a new temporary folder.</summary>
    public static async Task<SqliteStoreUnderTest> CreateAsync(TimeSpan? busyTimeout = null)
    {
        var folder = Directory.CreateTempSubdirectory("gateway-store-").FullName;
        var path = Path.Combine(folder, "gateway.db");
        await SqliteMigrationBackend.CreateRunner(path).UpAsync();
        return new SqliteStoreUnderTest(new SqliteDatabase(path, busyTimeout), folder);
    }

    /// <inheritdoc />
    public override Task CatchUpSearchIndexAsync(CancellationToken cancellationToken = default) => Indexer.CatchUpAsync(cancellationToken);

    /// <inheritdoc />
    public override Task<StoreUnderTest> OpenSecondClientAsync() =>
        Task.FromResult<StoreUnderTest>(new SqliteStoreUnderTest(new SqliteDatabase(Database.Path), folder: null));

    /// <inheritdoc />
    public override async ValueTask DisposeAsync()
    {
        // Stops the group-commit writer and closes its connection, so the file is no longer held.
        await Database.DisposeAsync();
        if (_folder is not null)
        {
            // Pooled connections keep the file open; close them before deleting it.
            SqliteConnection.ClearAllPools();
            try
            {
                Directory.Delete(_folder, recursive: true);
            }
            catch (IOException)
            {
                // A second client still open elsewhere; the temp folder is left for the OS to clean.
            }
        }
    }
}
