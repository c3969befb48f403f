using Gateway.Core.Storage.Migrations;
using Microsoft.Data.Sqlite;

namespace Gateway.Storage.Sqlite.Tests;

public sealed class SqliteMigrationTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("gateway-migrations-").FullName;

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }

    private string NewDatabase() => Path.Combine(_folder, Guid.NewGuid().ToString("N") + ".db");

    [Fact]
    public void Migrations_Embedded_AreNumberedWithDownTwins()
    {
        var migrations = SqliteMigrationBackend.Migrations;

        Assert.Equal([1, 2], migrations.Select(m => m.Version));
        Assert.True(migrations[0].DownDropsUserData);
        Assert.False(migrations[1].DownDropsUserData);
    }

    [Fact]
    public async Task Up_EmptyDatabase_ReachesLatestWithoutBackup()
    {
        var runner = SqliteMigrationBackend.CreateRunner(NewDatabase());

        var result = await runner.UpAsync();
        var versions = await runner.ListAsync();

        Assert.Equal(new MigrationResult(0, 2, null), result);
        Assert.All(versions, v => Assert.True(v.Applied));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    public async Task Up_FromEveryEarlierVersion_KeepsEveryRowAndIndexesIt(int startVersion)
    {
        var path = NewDatabase();
        var runner = SqliteMigrationBackend.CreateRunner(path);
        await runner.UpAsync(startVersion);
        if (startVersion >= 1)
        {
            await SeedAsync(path);
        }

        await runner.UpAsync();
        if (startVersion == 0)
        {
            await SeedAsync(path);
        }

        Assert.Equal(2L, await ScalarAsync(path, "SELECT count(*) FROM messages"));
        Assert.Equal(1L, await ScalarAsync(path, "SELECT message_count FROM conversations WHERE id = 'c1'"));
        Assert.Equal(1L, await ScalarAsync(path, "SELECT count(*) FROM messages_fts WHERE messages_fts MATCH 'zebra'"));
    }

    [Fact]
    public async Task Up_FromVersionWithData_BacksUpFirst()
    {
        var path = NewDatabase();
        var runner = SqliteMigrationBackend.CreateRunner(path);
        await runner.UpAsync(1);
        await SeedAsync(path);

        var result = await runner.UpAsync();

        Assert.NotNull(result.BackupPath);
        Assert.Equal(2L, await ScalarAsync(result.BackupPath, "SELECT count(*) FROM messages"));
        Assert.Equal(1L, await ScalarAsync(result.BackupPath, "SELECT max(version) FROM gateway_schema_version"));
    }

    [Fact]
    public async Task DownThenUp_KeepsData()
    {
        var path = NewDatabase();
        var runner = SqliteMigrationBackend.CreateRunner(path);
        await runner.UpAsync();
        await SeedAsync(path);

        await runner.DownAsync(1);
        Assert.Equal(0L, await ScalarAsync(path, "SELECT count(*) FROM sqlite_master WHERE name = 'messages_fts'"));
        await runner.UpAsync();

        Assert.Equal(2L, await ScalarAsync(path, "SELECT count(*) FROM messages"));
        Assert.Equal(1L, await ScalarAsync(path, "SELECT count(*) FROM messages_fts WHERE messages_fts MATCH 'zebra'"));
    }

    [Fact]
    public async Task Down_DeletingUserData_RefusesWithoutForceAndBacksUpWithIt()
    {
        var path = NewDatabase();
        var runner = SqliteMigrationBackend.CreateRunner(path);
        await runner.UpAsync();
        await SeedAsync(path);

        var refused = await Assert.ThrowsAsync<MigrationException>(() => runner.DownAsync(0));
        Assert.Equal(2, refused.CurrentVersion);
        Assert.Contains("--force", refused.Message);
        Assert.Equal(2L, await ScalarAsync(path, "SELECT count(*) FROM messages"));

        var result = await runner.DownAsync(0, force: true);

        Assert.Equal(0L, await ScalarAsync(path, "SELECT count(*) FROM sqlite_master WHERE name = 'messages'"));
        Assert.NotNull(result.BackupPath);
        Assert.Equal(2L, await ScalarAsync(result.BackupPath, "SELECT count(*) FROM messages"));
    }

    [Fact]
    public async Task Up_StepFailsMidway_RollsBackAndStaysAtPreviousVersion()
    {
        var path = NewDatabase();
        var broken = new SchemaMigration(
            3, "broken", "CREATE TABLE half_done (x INTEGER); INSERT INTO no_such_table VALUES (1);", "DROP TABLE half_done;", false);
        var runner = new MigrationRunner(new SqliteMigrationBackend(path), [.. SqliteMigrationBackend.Migrations, broken]);
        await runner.UpAsync(2);
        await SeedAsync(path);

        var error = await Assert.ThrowsAsync<MigrationException>(() => runner.UpAsync());

        Assert.Equal(2, error.CurrentVersion);
        Assert.Contains("no_such_table", error.Message);
        Assert.Equal(0L, await ScalarAsync(path, "SELECT count(*) FROM sqlite_master WHERE name = 'half_done'"));
        Assert.False((await runner.ListAsync()).Single(v => v.Version == 3).Applied);
        Assert.Equal(2L, await ScalarAsync(path, "SELECT count(*) FROM messages"));
        Assert.Equal("ok", await ScalarAsync(path, "PRAGMA integrity_check"));
    }

    [Fact]
    public async Task Up_TwoProcessesAtOnce_ApplyEachStepOnce()
    {
        var path = NewDatabase();
        var first = SqliteMigrationBackend.CreateRunner(path);
        var second = SqliteMigrationBackend.CreateRunner(path);

        var results = await Task.WhenAll(Task.Run(() => first.UpAsync()), Task.Run(() => second.UpAsync()));

        Assert.All(results, r => Assert.Equal(2, r.ToVersion));
        Assert.Equal(2L, await ScalarAsync(path, "SELECT count(*) FROM gateway_schema_version"));
    }

    private static async Task SeedAsync(string path)
    {
        await using var connection = new SqliteConnection($"Data Source={path};Pooling=False");
        await connection.OpenAsync();
        var command = connection.CreateCommand();
        command.CommandText = """
            INSERT INTO conversations (id, title, created_at, updated_at, message_count) VALUES ('c1', 'Zoo', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z', 1);
            INSERT INTO messages (id, conversation_id, role, content, created_at) VALUES ('m1', 'c1', 'user', 'tell me about the zebra', '2026-01-01T00:00:00Z');
            INSERT INTO messages (id, conversation_id, parent_id, role, content, created_at) VALUES ('m2', 'c1', 'm1', 'assistant', 'stripes', '2026-01-01T00:00:01Z');
            """;
        await command.ExecuteNonQueryAsync();
    }

    private static async Task<object?> ScalarAsync(string path, string sql)
    {
        await using var connection = new SqliteConnection($"Data Source={path};Pooling=False");
        await connection.OpenAsync();
        var command = connection.CreateCommand();
        command.CommandText = sql;
        return await command.ExecuteScalarAsync();
    }
}
