using Gateway.Host.Migrations;
using Gateway.Storage.Postgres.Tests.Infrastructure;
using Npgsql;

namespace Gateway.Storage.Postgres.Tests.Hosts;

/// <summary>The sample host's <c>migrate</c> command on a real PostgreSQL database.</summary>
public sealed class MigrateCommandTests : IAsyncLifetime
{
    private string _database = string.Empty;

    public async Task InitializeAsync() => _database = await PostgresServer.CreateDatabaseAsync();

    public Task DisposeAsync() => PostgresServer.DropDatabaseAsync(_database);

    [Fact]
    public async Task RunAsync_ListOnAnEmptyDatabase_ShowsEveryVersionPendingAndCreatesNothing()
    {
        var run = await RunAsync(null, "list", "--db", _database);

        Assert.Equal(MigrateCommand.Success, run.ExitCode);
        Assert.Contains("no database yet", run.Output, StringComparison.Ordinal);
        Assert.Matches(@"1\s+conversations\s+pending\s+\(down drops user data\)", run.Output);
        Assert.Equal(false, await PostgresServer.ScalarAsync(_database, "SELECT to_regclass('gateway_schema_version') IS NOT NULL"));
    }

    [Fact]
    public async Task RunAsync_UpThenList_AppliesEveryStep()
    {
        var up = await RunAsync(null, "up", "--db", _database);
        var list = await RunAsync(null, "list", "--db", _database);

        Assert.Equal(MigrateCommand.Success, up.ExitCode);
        Assert.Contains("Applied 1 conversations", up.Output, StringComparison.Ordinal);
        Assert.Contains("pg_dump", up.Output, StringComparison.Ordinal);
        Assert.Matches(@"1\s+conversations\s+applied", list.Output);
        Assert.DoesNotContain(new NpgsqlConnectionStringBuilder(_database).Password!, up.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_PostgresUrlInGatewayDb_DownNeedsForceThenReverts()
    {
        var settings = new NpgsqlConnectionStringBuilder(_database);
        var url = $"postgres://{settings.Username}:{settings.Password}@{settings.Host}:{settings.Port}/{settings.Database}";
        var environment = new Dictionary<string, string?> { ["GATEWAY_DB"] = url };
        Assert.Equal(MigrateCommand.Success, (await RunAsync(environment, "up")).ExitCode);

        var refused = await RunAsync(environment, "down", "0");
        var forced = await RunAsync(environment, "down", "0", "--force");

        Assert.Equal(MigrateCommand.Refused, refused.ExitCode);
        Assert.Contains("--force", refused.Error, StringComparison.Ordinal);
        Assert.Equal(MigrateCommand.Success, forced.ExitCode);
        Assert.Equal(false, await PostgresServer.ScalarAsync(_database, "SELECT to_regclass('conversations') IS NOT NULL"));
    }

    [Fact]
    public async Task RunAsync_UnreachableServer_FailsWithExit1AndNamesTheDatabase()
    {
        var run = await RunAsync(null, "up", "--db", "Host=127.0.0.1;Port=1;Database=nowhere;Username=nobody;Timeout=2");

        Assert.Equal(MigrateCommand.Failed, run.ExitCode);
        Assert.Contains("nowhere", run.Error, StringComparison.Ordinal);
    }

    private static async Task<(int ExitCode, string Output, string Error)> RunAsync(Dictionary<string, string?>? environment, params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await MigrateCommand.RunAsync(args, output, error, name => environment?.GetValueOrDefault(name), CancellationToken.None);
        return (code, output.ToString(), error.ToString());
    }
}
