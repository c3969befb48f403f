using System.Diagnostics;
using Gateway.Host.Migrations;
using Microsoft.Data.Sqlite;

namespace Gateway.AspNetCore.Tests.Host;

/// <summary>The sample host's <c>migrate</c> command, in-process on real SQLite files.</summary>
public sealed class MigrateCommandTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("gateway-migrate-").FullName;
    private readonly string _database;

    public MigrateCommandTests() => _database = Path.Combine(_folder, "gateway.db");

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public async Task RunAsync_ListOnNewFile_ShowsEveryVersionPendingAndCreatesNothing()
    {
        var run = await RunAsync("list", "--db", _database);

        Assert.Equal(MigrateCommand.Success, run.ExitCode);
        Assert.Contains("no database yet", run.Output);
        Assert.Matches(@"1\s+conversations\s+pending\s+\(down drops user data\)", run.Output);
        Assert.Matches(@"2\s+message_search\s+pending\r?\n", run.Output);
        Assert.False(File.Exists(_database));
    }

    [Fact]
    public async Task RunAsync_Up_AppliesEveryStepAndListShowsThemApplied()
    {
        var up = await RunAsync("up", "--db", _database);
        var list = await RunAsync("list", "--db", _database);

        Assert.Equal(MigrateCommand.Success, up.ExitCode);
        Assert.Contains("Applied 1 conversations", up.Output);
        Assert.Contains("Applied 2 message_search", up.Output);
        Assert.Contains("Applied 3 profiles_and_spaces", up.Output);
        Assert.Contains("Applied 4 tool_calls", up.Output);
        Assert.Contains("Applied 5 rag", up.Output);
        Assert.Contains("Applied 6 message_citations", up.Output);
        Assert.Contains("Applied 7 rag_chunk_json_path", up.Output);
        Assert.Contains("Applied 8 jobs", up.Output);
        Assert.Contains("Applied 9 job_attachments", up.Output);
        Assert.Contains("Applied 10 rag_reembeddings", up.Output);
        Assert.Contains("Applied 11 rag_sources", up.Output);
        Assert.Contains("Applied 12 rag_document_texts", up.Output);
        Assert.Contains("Backup: none", up.Output);
        Assert.Equal(MigrateCommand.Success, list.ExitCode);
        Assert.Contains("version 12 of 12", list.Output);
        Assert.Matches(@"1\s+conversations\s+applied \d{4}-\d\d-\d\d", list.Output);
        Assert.Matches(@"2\s+message_search\s+applied \d{4}-\d\d-\d\d", list.Output);
        Assert.Matches(@"3\s+profiles_and_spaces\s+applied \d{4}-\d\d-\d\d", list.Output);
        Assert.Matches(@"4\s+tool_calls\s+applied \d{4}-\d\d-\d\d", list.Output);
        Assert.Matches(@"5\s+rag\s+applied \d{4}-\d\d-\d\d", list.Output);
        Assert.Matches(@"6\s+message_citations\s+applied \d{4}-\d\d-\d\d", list.Output);
        Assert.Matches(@"7\s+rag_chunk_json_path\s+applied \d{4}-\d\d-\d\d", list.Output);
        Assert.Matches(@"8\s+jobs\s+applied \d{4}-\d\d-\d\d", list.Output);
        Assert.Matches(@"9\s+job_attachments\s+applied \d{4}-\d\d-\d\d", list.Output);
        Assert.Matches(@"10\s+rag_reembeddings\s+applied \d{4}-\d\d-\d\d", list.Output);
        Assert.Matches(@"11\s+rag_sources\s+applied \d{4}-\d\d-\d\d", list.Output);
        Assert.Matches(@"12\s+rag_document_texts\s+applied \d{4}-\d\d-\d\d", list.Output);
        Assert.DoesNotContain("pending", list.Output);
        Assert.Empty(up.Error);
    }

    [Fact]
    public async Task RunAsync_UpTo1_StopsAtVersion1()
    {
        var up = await RunAsync("up", "--to", "1", "--db", _database);
        var list = await RunAsync("list", "--db", _database);

        Assert.Equal(MigrateCommand.Success, up.ExitCode);
        Assert.Contains("Applied 1 conversations", up.Output);
        Assert.DoesNotContain("message_search", up.Output);
        Assert.Contains("version 1 of 12", list.Output);
        Assert.Matches(@"2\s+message_search\s+pending", list.Output);
    }

    [Fact]
    public async Task RunAsync_UpFromVersionWithRows_PrintsTheBackupThatHoldsThem()
    {
        await RunAsync("up", "--to=1", "--db", _database);
        await SeedAsync();

        var up = await RunAsync("up", "--db", _database);

        Assert.Equal(MigrateCommand.Success, up.ExitCode);
        var backup = BackupPath(up.Output);
        Assert.Equal(2L, await ScalarAsync(backup, "SELECT count(*) FROM messages"));
        Assert.Equal(1L, await ScalarAsync(_database, "SELECT count(*) FROM messages_fts WHERE messages_fts MATCH 'zebra'"));
    }

    [Fact]
    public async Task RunAsync_DownTo1ThenUp_KeepsRowsAndReindexesThem()
    {
        await RunAsync("up", "--to", "2", "--db", _database);
        await SeedAsync();

        var down = await RunAsync("down", "1", "--db", _database);
        var afterDown = await ScalarAsync(_database, "SELECT count(*) FROM sqlite_master WHERE name = 'messages_fts'");
        var up = await RunAsync("up", "--db", _database);

        Assert.Equal(MigrateCommand.Success, down.ExitCode);
        Assert.Contains("Reverted 2 message_search", down.Output);
        Assert.Equal(0L, afterDown);
        Assert.Equal(MigrateCommand.Success, up.ExitCode);
        Assert.Equal(2L, await ScalarAsync(_database, "SELECT count(*) FROM messages"));
        Assert.Equal("tell me about the zebra", await ScalarAsync(_database, "SELECT content FROM messages WHERE id = 'm1'"));
        Assert.Equal(1L, await ScalarAsync(_database, "SELECT count(*) FROM messages_fts WHERE messages_fts MATCH 'zebra'"));
    }

    [Fact]
    public async Task RunAsync_DownTo0WithoutForce_RefusesWithExit2AndKeepsData()
    {
        await RunAsync("up", "--db", _database);
        await SeedAsync();
        var filesBefore = Directory.GetFiles(_folder, "*.bak");

        var down = await RunAsync("down", "0", "--db", _database);

        Assert.Equal(MigrateCommand.Refused, down.ExitCode);
        Assert.Contains("--force", down.Error);
        Assert.Contains("1 conversations", down.Error);
        Assert.Equal(2L, await ScalarAsync(_database, "SELECT count(*) FROM messages"));
        Assert.Equal(12L, await ScalarAsync(_database, "SELECT max(version) FROM gateway_schema_version"));
        Assert.Equal(filesBefore, Directory.GetFiles(_folder, "*.bak"));
    }

    [Fact]
    public async Task RunAsync_DownTo0WithForce_BacksUpThenDrops()
    {
        await RunAsync("up", "--db", _database);
        await SeedAsync();

        var down = await RunAsync("down", "0", "--force", "--db", _database);

        Assert.Equal(MigrateCommand.Success, down.ExitCode);
        Assert.Contains("Reverted 2 message_search", down.Output);
        Assert.Contains("Reverted 1 conversations", down.Output);
        Assert.Equal(0L, await ScalarAsync(_database, "SELECT count(*) FROM sqlite_master WHERE name IN ('messages', 'conversations')"));
        var backup = BackupPath(down.Output);
        Assert.Equal(2L, await ScalarAsync(backup, "SELECT count(*) FROM messages"));
        Assert.Equal("Zoo", await ScalarAsync(backup, "SELECT title FROM conversations WHERE id = 'c1'"));
    }

    [Fact]
    public async Task RunAsync_DownAboveCurrentVersion_ChangesNothing()
    {
        await RunAsync("up", "--to", "1", "--db", _database);

        var down = await RunAsync("down", "2", "--db", _database);

        Assert.Equal(MigrateCommand.Success, down.ExitCode);
        Assert.Contains("nothing to revert", down.Output);
        Assert.Empty(Directory.GetFiles(_folder, "*.bak"));
    }

    [Fact]
    public async Task RunAsync_DownOnMissingFile_FailsWithoutCreatingIt()
    {
        var down = await RunAsync("down", "0", "--db", _database);

        Assert.Equal(MigrateCommand.Failed, down.ExitCode);
        Assert.Contains("no database", down.Error);
        Assert.False(File.Exists(_database));
    }

    [Fact]
    public async Task RunAsync_FileIsNotADatabase_FailsWithExit1()
    {
        await File.WriteAllTextAsync(_database, "these are not the pages you are looking for, not a SQLite header at all");

        var run = await RunAsync("up", "--db", _database);

        Assert.Equal(MigrateCommand.Failed, run.ExitCode);
        Assert.Contains(_database, run.Error);
    }

    [Theory]
    [InlineData]
    [InlineData("frob")]
    [InlineData("down")]
    [InlineData("down", "one")]
    [InlineData("down", "-1")]
    [InlineData("down", "1", "2")]
    [InlineData("down", "--to", "1")]
    [InlineData("up", "--to")]
    [InlineData("up", "--to", "x")]
    [InlineData("up", "--to", "1", "--to", "2")]
    [InlineData("up", "--force")]
    [InlineData("list", "--to", "1")]
    [InlineData("list", "--bogus")]
    [InlineData("list", "--db")]
    [InlineData("list", "--db", "a.db", "--db", "b.db")]
    [InlineData("up", "--to", "99")]
    [InlineData("down", "99")]
    [InlineData("list", "--db", "Mode=Memory")]
    [InlineData("list", "--db", "mysql://localhost/gateway")]
    public async Task RunAsync_BadUsage_Exit64WithUsageOnStderr(params string[] args)
    {
        var run = await RunAsync(args);

        Assert.Equal(MigrateCommand.UsageError, run.ExitCode);
        Assert.Contains("Gateway.Host migrate [command] [options]", run.Error);
        Assert.Empty(run.Output);
    }

    [Fact]
    public async Task RunAsync_Help_PrintsUsageToOutputWithExit0()
    {
        var run = await RunAsync("--help");

        Assert.Equal(MigrateCommand.Success, run.ExitCode);
        Assert.Contains("Gateway.Host migrate [command] [options]", run.Output);
        Assert.Matches(@"list\s+every schema version", run.Output);
        Assert.Matches(@"up\s+upgrade to the newest version, or with --to N", run.Output);
        Assert.Matches(@"down <N>\s+go back down to version N", run.Output);
        Assert.Contains("runs only with --force", run.Output);
        Assert.Contains("--db <path-or-connection-string>", run.Output);
        Assert.Contains("GATEWAY_DB", run.Output);
        Assert.Contains("64 bad usage", run.Output);
        Assert.Empty(run.Error);
    }

    [Fact]
    public async Task RunAsync_HelpOfDown_ListsItsVersionArgumentAndForce()
    {
        var run = await RunAsync("down", "-h");

        Assert.Equal(MigrateCommand.Success, run.ExitCode);
        Assert.Contains("Gateway.Host migrate down <N> [options]", run.Output);
        Assert.Matches(@"--force\s+let a step that deletes user data", run.Output);
        Assert.Empty(run.Error);
    }

    [Fact]
    public async Task RunAsync_NoDbOption_UsesGatewayDb()
    {
        var run = await RunAsync(new Dictionary<string, string?> { ["GATEWAY_DB"] = _database }, "up");

        Assert.Equal(MigrateCommand.Success, run.ExitCode);
        Assert.Contains(_database, run.Output);
        Assert.True(File.Exists(_database));
    }

    [Fact]
    public async Task RunAsync_SqliteConnectionString_MigratesItsDataSource()
    {
        var run = await RunAsync("up", "--db", $"Data Source={_database};Cache=Shared");

        Assert.Equal(MigrateCommand.Success, run.ExitCode);
        Assert.Equal(12L, await ScalarAsync(_database, "SELECT max(version) FROM gateway_schema_version"));
    }

    [Fact]
    public void Parse_NoDbAndNoGatewayDb_UsesTheHostDefault()
    {
        var parsed = MigrateArguments.Parse(["down", "1", "--force"], _ => null, out var error);

        Assert.Null(error);
        Assert.Equal(new MigrateArguments(MigrateAction.Down, "data/gateway.db", 1, true), parsed);
    }

    [Fact]
    public void Parse_DbOptionAndGatewayDb_OptionWins()
    {
        var parsed = MigrateArguments.Parse(["up", "--db=/tmp/a.db", "--to", "2"], _ => "/tmp/b.db", out _);

        Assert.Equal(new MigrateArguments(MigrateAction.Up, "/tmp/a.db", 2, false), parsed);
    }

    [Fact]
    public async Task Main_MigrateArguments_RunTheCommandWithoutStartingTheWebHost()
    {
        var host = typeof(MigrateCommand).Assembly.Location;
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            ArgumentList = { host, "migrate", "up", "--db", _database },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = _folder,
        };
        start.Environment.Remove("GATEWAY_DB");

        using var process = Process.Start(start) ?? throw new InvalidOperationException("The host did not start.");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);

        Assert.True(process.ExitCode == 0, await error);
        Assert.Contains("is at version 12", await output);
        Assert.DoesNotContain("Now listening", await output);
        Assert.Equal(12L, await ScalarAsync(_database, "SELECT max(version) FROM gateway_schema_version"));
    }

    private Task<CommandRun> RunAsync(params string[] args) => RunAsync(new Dictionary<string, string?>(), args);

    private static async Task<CommandRun> RunAsync(Dictionary<string, string?> environment, params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exitCode = await MigrateCommand.RunAsync(
            args, output, error, name => environment.GetValueOrDefault(name), CancellationToken.None);
        return new CommandRun(exitCode, output.ToString(), error.ToString());
    }

    private static string BackupPath(string output)
    {
        var line = output.Split('\n').Single(l => l.StartsWith("Backup: ", StringComparison.Ordinal)).Trim();
        var path = line["Backup: ".Length..];
        Assert.True(File.Exists(path), $"No backup at '{path}'.");
        return path;
    }

    private async Task SeedAsync()
    {
        await using var connection = new SqliteConnection($"Data Source={_database};Pooling=False");
        await connection.OpenAsync();
        var command = connection.CreateCommand();
        command.CommandText = """
            INSERT INTO conversations (id, title, created_at, updated_at, message_count) VALUES ('c1', 'Zoo', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z', 2);
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

    private sealed record CommandRun(int ExitCode, string Output, string Error);
}
