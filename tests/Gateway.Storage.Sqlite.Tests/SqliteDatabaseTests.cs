using Gateway.Core.Errors;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Time.Testing;

namespace Gateway.Storage.Sqlite.Tests;

/// <summary>The write retry: "database is locked" runs the whole transaction again after a pause on the database's clock, and is storage_busy once the attempts are spent.</summary>
public sealed class SqliteDatabaseTests : IAsyncLifetime
{
    private readonly FakeTimeProvider _time = new();
    private string _folder = null!;
    private SqliteDatabase _database = null!;

    public async Task InitializeAsync()
    {
        _folder = Directory.CreateTempSubdirectory("gateway-db-").FullName;
        var path = Path.Combine(_folder, "gateway.db");
        await SqliteMigrationBackend.CreateRunner(path).UpAsync();
        _database = new SqliteDatabase(path, time: _time);
    }

    public async Task DisposeAsync()
    {
        await _database.DisposeAsync();
        SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public async Task WriteAsync_LockedOnEveryAttempt_TriesFourTimesThenThrowsStorageBusy()
    {
        var attempts = 0;
        var write = _database.WriteAsync<int>((_, _, _) =>
        {
            attempts++;
            throw Locked();
        });

        var error = await Assert.ThrowsAsync<GatewayException>(() => AdvanceUntilDoneAsync(write));

        Assert.Equal(4, attempts);
        Assert.Equal(GatewayErrorCodes.StorageBusy, error.ErrorCode);
        Assert.Equal(GatewayErrorKind.Unavailable, error.Kind);
        Assert.IsType<SqliteException>(error.InnerException);
    }

    [Fact]
    public async Task WriteAsync_LockedOnce_WaitsForTheClockThenCommitsTheSecondAttempt()
    {
        var attempts = 0;
        var write = _database.WriteAsync((connection, transaction, ct) => ++attempts == 1 ? throw Locked() : Task.FromResult(attempts));

        // The retry waits on the injected clock: real time passing does not run it.
        await Task.WhenAny(write, Task.Delay(TimeSpan.FromMilliseconds(300)));
        Assert.False(write.IsCompleted);
        Assert.Equal(1, attempts);

        Assert.Equal(2, await AdvanceUntilDoneAsync(write));
    }

    [Fact]
    public async Task WriteOnceAsync_Locked_ThrowsStorageBusyAfterOneAttempt()
    {
        var attempts = 0;

        var error = await Assert.ThrowsAsync<GatewayException>(() => _database.WriteOnceAsync<int>((_, _, _) =>
        {
            attempts++;
            throw Locked();
        }));

        Assert.Equal(1, attempts);
        Assert.Equal(GatewayErrorCodes.StorageBusy, error.ErrorCode);
    }

    private static SqliteException Locked() => new("database is locked", 5);

    private async Task<T> AdvanceUntilDoneAsync<T>(Task<T> task)
    {
        while (!task.IsCompleted)
        {
            _time.Advance(TimeSpan.FromMilliseconds(10));
            await Task.WhenAny(task, Task.Delay(TimeSpan.FromMilliseconds(5)));
        }

        return await task;
    }
}
