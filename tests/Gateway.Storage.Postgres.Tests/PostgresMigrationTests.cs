using Gateway.Core.Errors;
using Gateway.Core.Storage.Conversations;
using Gateway.Core.Storage.Migrations;
using Gateway.Storage.Postgres.Conversations;
using Gateway.Storage.Postgres.Search;
using Gateway.Storage.Postgres.Tests.Infrastructure;
using Npgsql;

namespace Gateway.Storage.Postgres.Tests;

/// <summary>The PostgreSQL migrations through the shared runner, on fresh databases of the test server.</summary>
public sealed class PostgresMigrationTests : IAsyncLifetime
{
    private readonly List<string> _databases = [];

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var database in _databases)
        {
            await PostgresServer.DropDatabaseAsync(database);
        }
    }

    [Fact]
    public async Task UpAsync_EmptyDatabase_CreatesTheSchemaWithAGeneratedSearchColumnAndGinIndex()
    {
        var database = await CreateDatabaseAsync();
        await using var dataSource = NpgsqlDataSource.Create(database);

        var result = await PostgresMigrationBackend.CreateRunner(dataSource).UpAsync();

        Assert.Equal(new MigrationResult(0, PostgresMigrationBackend.Migrations.Count, null), result);
        Assert.Equal("s", await PostgresServer.ScalarAsync(database,
            "SELECT attgenerated::text FROM pg_attribute WHERE attrelid = 'messages'::regclass AND attname = 'search'"));
        Assert.Equal("gin", await PostgresServer.ScalarAsync(database,
            "SELECT am.amname::text FROM pg_class c JOIN pg_am am ON am.oid = c.relam WHERE c.relname = 'messages_search'"));
    }

    [Fact]
    public async Task UpAsync_EightRunnersAtOnceOnAnEmptyDatabase_AllSucceedAndEachStepIsAppliedOnce()
    {
        var database = await CreateDatabaseAsync();
        var dataSources = Enumerable.Range(0, 8).Select(_ => NpgsqlDataSource.Create(database)).ToList();
        try
        {
            var results = await Task.WhenAll(dataSources.Select(d => Task.Run(() => PostgresMigrationBackend.CreateRunner(d).UpAsync())));

            Assert.All(results, r => Assert.Equal(PostgresMigrationBackend.Migrations.Count, r.ToVersion));
            Assert.Equal((long)PostgresMigrationBackend.Migrations.Count, await PostgresServer.ScalarAsync(database, "SELECT count(*) FROM gateway_schema_version"));
        }
        finally
        {
            foreach (var dataSource in dataSources)
            {
                await dataSource.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task DownAsync_ToZeroWithForce_DropsTheSchemaAndUpBuildsItAgain()
    {
        var database = await CreateDatabaseAsync();
        await using var dataSource = NpgsqlDataSource.Create(database);
        var runner = PostgresMigrationBackend.CreateRunner(dataSource);
        await runner.UpAsync();

        var refused = await Assert.ThrowsAsync<MigrationException>(() => runner.DownAsync(0));
        var down = await runner.DownAsync(0, force: true);

        Assert.Equal(PostgresMigrationBackend.Migrations.Count, refused.CurrentVersion);
        Assert.Equal(0, down.ToVersion);
        Assert.Equal(false, await PostgresServer.ScalarAsync(database, "SELECT to_regclass('messages') IS NOT NULL"));
        Assert.Equal(PostgresMigrationBackend.Migrations.Count, (await runner.UpAsync()).ToVersion);
    }

    [Fact]
    public async Task UpAsync_FailingStep_RollsBackItsDdlAndStaysAtThePreviousVersion()
    {
        var database = await CreateDatabaseAsync();
        await using var dataSource = NpgsqlDataSource.Create(database);
        var latest = PostgresMigrationBackend.Migrations.Count;
        var broken = new SchemaMigration(latest + 1, "broken", "CREATE TABLE half_done (x int); SELECT 1 / 0;", "DROP TABLE half_done;", false);
        var runner = new MigrationRunner(new PostgresMigrationBackend(dataSource), [.. PostgresMigrationBackend.Migrations, broken]);

        var error = await Assert.ThrowsAsync<MigrationException>(() => runner.UpAsync());

        Assert.Equal(latest, error.CurrentVersion);
        Assert.Equal(false, await PostgresServer.ScalarAsync(database, "SELECT to_regclass('half_done') IS NOT NULL"));
        Assert.Equal(latest, Convert.ToInt32(await PostgresServer.ScalarAsync(database, "SELECT max(version) FROM gateway_schema_version"), System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task UpAsync_SuperuserOnADatabaseWithoutPgvector_CreatesTheExtension()
    {
        var database = await CreateDatabaseAsync(withoutExtensions: true);
        await using var dataSource = NpgsqlDataSource.Create(PostgresServer.AsAdmin(database));

        await PostgresMigrationBackend.CreateRunner(dataSource).UpAsync();

        await using var postgres = new PostgresDatabase(dataSource);
        Assert.True(await postgres.HasVectorExtensionAsync());
        await postgres.EnsureVectorExtensionAsync();
    }

    [Fact]
    public async Task UpAsync_RoleThatMayNotCreatePgvector_MigratesAndAVectorFeatureSaysHowToInstallIt()
    {
        var database = await CreateDatabaseAsync(withoutExtensions: true);
        await using var postgres = PostgresDatabase.Create(database);
        await PostgresMigrationBackend.CreateRunner(postgres.DataSource).UpAsync();

        var error = await Assert.ThrowsAsync<GatewayException>(() => postgres.EnsureVectorExtensionAsync());

        Assert.False(await postgres.HasVectorExtensionAsync());
        Assert.Equal(GatewayErrorCodes.NotReady, error.ErrorCode);
        Assert.Contains("pgvector", error.Message, StringComparison.Ordinal);
        Assert.Contains("CREATE EXTENSION vector", error.Message, StringComparison.Ordinal);

        // Everything that is not a vector feature works without it.
        var store = new PostgresConversationStore(postgres);
        var conversation = await store.CreateConversationAsync(new NewConversation());
        var message = await store.AppendMessageAsync(conversation.Id, new NewMessage("user", "a quokka without vectors"));
        var hits = await new PostgresMessageSearch(postgres).SearchAsync(new MessageSearchQuery("quokka"));
        Assert.Equal([message.Id], hits.Hits.Select(h => h.MessageId));
    }

    private async Task<string> CreateDatabaseAsync(bool withoutExtensions = false)
    {
        var database = await PostgresServer.CreateDatabaseAsync(withoutExtensions);
        _databases.Add(database);
        return database;
    }
}
