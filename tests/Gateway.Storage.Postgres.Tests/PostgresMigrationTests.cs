using Gateway.Core.Errors;
using Gateway.Core.Storage.Conversations;
using Gateway.Core.Storage.Migrations;
using Gateway.Core.Storage.Profiles;
using Gateway.Core.Storage.Spaces;
using Gateway.Storage.Postgres.Conversations;
using Gateway.Storage.Postgres.Profiles;
using Gateway.Storage.Postgres.Search;
using Gateway.Storage.Postgres.Spaces;
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

    /// <summary>Every version before the newest that a database can be at with user data in it.</summary>
    public static TheoryData<int> EarlierVersions() => [.. Enumerable.Range(1, PostgresMigrationBackend.Migrations.Count - 1)];

    [Fact]
    public void Migrations_Embedded_AreNumberedWithDownTwins()
    {
        var migrations = PostgresMigrationBackend.Migrations;

        Assert.Equal([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11], migrations.Select(m => m.Version));
        Assert.All(migrations, m => Assert.True(m.DownDropsUserData));
    }

    [Theory]
    [MemberData(nameof(EarlierVersions))]
    public async Task UpAsync_FromEveryEarlierVersionWithConversations_KeepsEveryRowAndTheNewStoresWork(int startVersion)
    {
        var database = await CreateDatabaseAsync();
        await using var postgres = PostgresDatabase.Create(database);
        var runner = PostgresMigrationBackend.CreateRunner(postgres.DataSource);
        await runner.UpAsync(startVersion);
        var (conversationId, messageId) = await SeedConversationAsync(database);
        var before = await SnapshotAsync(database);

        var result = await runner.UpAsync();

        Assert.Equal(PostgresMigrationBackend.Migrations.Count, result.ToVersion);
        Assert.Equal(before, await SnapshotAsync(database));
        Assert.Equal([messageId], (await new PostgresMessageSearch(postgres).SearchAsync(new MessageSearchQuery("okapi"))).Hits.Select(h => h.MessageId));
        var spaceId = await SeedSpaceAsync(postgres, conversationId);
        Assert.Equal(1, await new PostgresSpaceStore(postgres).CountConversationsAsync(spaceId));
    }

    [Theory]
    [MemberData(nameof(EarlierVersions))]
    public async Task DownThenUp_ToEveryEarlierVersion_KeepsConversationsAndRebuildsWhatItDropped(int target)
    {
        var database = await CreateDatabaseAsync();
        await using var postgres = PostgresDatabase.Create(database);
        var runner = PostgresMigrationBackend.CreateRunner(postgres.DataSource);
        await runner.UpAsync();
        var (conversationId, messageId) = await SeedConversationAsync(database);
        await SeedSpaceAsync(postgres, conversationId);
        var before = await SnapshotAsync(database);

        var refused = await Assert.ThrowsAsync<MigrationException>(() => runner.DownAsync(target));
        Assert.Equal(1L, await PostgresServer.ScalarAsync(database, "SELECT count(*) FROM model_profiles"));
        var down = await runner.DownAsync(target, force: true);
        var atTarget = await SnapshotAsync(database);
        var profilesAtTarget = await PostgresServer.ScalarAsync(database, "SELECT to_regclass('model_profiles') IS NOT NULL");
        await runner.UpAsync();

        Assert.Contains("--force", refused.Message, StringComparison.Ordinal);
        Assert.Equal(target, down.ToVersion);
        Assert.Equal(before, atTarget);
        // Profiles and spaces came with version 2: a down below it drops them, the step up rebuilds them empty.
        var profilesKept = target >= 2;
        Assert.Equal(profilesKept, profilesAtTarget);
        Assert.Equal(before, await SnapshotAsync(database));
        Assert.Equal(profilesKept ? 1L : 0L, await PostgresServer.ScalarAsync(database, "SELECT count(*) FROM model_profiles"));
        Assert.Equal(profilesKept ? 1L : 0L, await PostgresServer.ScalarAsync(database, "SELECT count(*) FROM spaces"));
        Assert.Equal([messageId], (await new PostgresMessageSearch(postgres).SearchAsync(new MessageSearchQuery("okapi"))).Hits.Select(h => h.MessageId));
        Assert.NotNull(await new PostgresModelProfileStore(postgres).CreateProfileAsync(new ModelProfileDefinition("Editor", "local")));
    }

    [Fact]
    public async Task DownThenUp_PastToolCalls_KeepsEveryMessageAndDropsOnlyItsToolColumns()
    {
        var database = await CreateDatabaseAsync();
        await using var postgres = PostgresDatabase.Create(database);
        var runner = PostgresMigrationBackend.CreateRunner(postgres.DataSource);
        await runner.UpAsync();
        var store = new PostgresConversationStore(postgres);
        var conversation = await store.CreateConversationAsync(new NewConversation("Weather"));
        var call = await store.AppendMessageAsync(conversation.Id,
            new NewMessage("assistant", string.Empty, ToolCalls: [new StoredToolCall("call_1", "get_weather", """{"city":"Paris"}""")]));
        var result = await store.AppendMessageAsync(conversation.Id, new NewMessage("tool", "drizzle", ToolCallId: "call_1", ToolName: "get_weather"));
        var before = await SnapshotAsync(database);

        var refused = await Assert.ThrowsAsync<MigrationException>(() => runner.DownAsync(2));
        await runner.DownAsync(2, force: true);
        var toolColumnsAtTarget = await PostgresServer.ScalarAsync(database,
            "SELECT count(*) FROM information_schema.columns WHERE table_name = 'messages' AND column_name LIKE 'tool\\_%'");
        var atTarget = await SnapshotAsync(database);
        await runner.UpAsync();

        Assert.Contains("--force", refused.Message, StringComparison.Ordinal);
        Assert.Equal(0L, toolColumnsAtTarget);
        Assert.Equal(before, atTarget);
        Assert.Equal(
            [call with { ToolCalls = null }, result with { ToolCallId = null, ToolName = null }],
            await store.GetBranchAsync(conversation.Id));
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

    // A conversation with one message, in the columns of version 1 (the stores write those of the newest version).
    private static async Task<(string ConversationId, string MessageId)> SeedConversationAsync(string database)
    {
        const string conversationId = "0194b2c0-1a00-7000-8000-00000000c001";
        const string messageId = "0194b2c0-1a00-7000-8000-00000000a001";
        await PostgresServer.ScalarAsync(database, $$"""
            INSERT INTO conversations (id, title, space_id, metadata, created_at, updated_at, message_count, active_message_id)
            VALUES ('{{conversationId}}', 'Zoo', 'space-from-before', '{"pinned":true}', '2025-01-20T09:00:00Z', '2025-01-20T09:00:01Z', 1, '{{messageId}}');
            INSERT INTO messages (id, conversation_id, role, content, created_at)
            VALUES ('{{messageId}}', '{{conversationId}}', 'user', 'tell me about the okapi', '2025-01-20T09:00:01Z');
            """);
        return (conversationId, messageId);
    }

    // A profile, a space with it as the default, and the conversation moved into the space: every new table gets a row.
    private static async Task<string> SeedSpaceAsync(PostgresDatabase postgres, string conversationId)
    {
        var profile = await new PostgresModelProfileStore(postgres).CreateProfileAsync(new ModelProfileDefinition("Writer", "local"));
        var space = await new PostgresSpaceStore(postgres).CreateSpaceAsync(new SpaceDefinition("Research", DefaultProfileId: profile.Id));
        await new PostgresConversationStore(postgres).UpdateConversationAsync(conversationId, new ConversationPatch(SpaceId: space.Id));
        return space.Id;
    }

    // Every row of conversations and messages as JSON in id order, messages in the columns every version has.
    private static async Task<List<string?>> SnapshotAsync(string database)
    {
        List<string?> rows = [];
        foreach (var table in new[]
        {
            "conversations",
            "(SELECT seq, id, conversation_id, parent_id, role, content, model_key, input_tokens, output_tokens, status, created_at FROM messages)",
        })
        {
            rows.Add((string?)await PostgresServer.ScalarAsync(database, $"SELECT coalesce(json_agg(t ORDER BY t.id)::text, '[]') FROM {table} t"));
        }

        return rows;
    }

    private async Task<string> CreateDatabaseAsync(bool withoutExtensions = false)
    {
        var database = await PostgresServer.CreateDatabaseAsync(withoutExtensions);
        _databases.Add(database);
        return database;
    }
}
