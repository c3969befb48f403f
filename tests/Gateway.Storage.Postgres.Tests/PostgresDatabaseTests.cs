using Gateway.Core.Errors;
using Gateway.Storage.Postgres.Tests.Infrastructure;
using Microsoft.Extensions.Time.Testing;
using Npgsql;

namespace Gateway.Storage.Postgres.Tests;

/// <summary>The write retry: a transaction PostgreSQL aborts for a conflict runs again after a pause on the database's clock, and is storage_busy once the attempts are spent.</summary>
public sealed class PostgresDatabaseTests : IAsyncLifetime
{
    private readonly FakeTimeProvider _time = new();
    private readonly PostgresDatabase _database;

    public PostgresDatabaseTests() => _database = PostgresDatabase.Create(PostgresServer.ConnectionString, _time);

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _database.DisposeAsync();

    [Theory]
    [InlineData(PostgresErrorCodes.DeadlockDetected)]
    [InlineData(PostgresErrorCodes.SerializationFailure)]
    [InlineData(PostgresErrorCodes.LockNotAvailable)]
    public async Task WriteAsync_AbortedOnEveryAttempt_TriesFourTimesThenThrowsStorageBusy(string sqlState)
    {
        var attempts = 0;
        var write = _database.WriteAsync<int>((_, _, _) =>
        {
            attempts++;
            throw Aborted(sqlState);
        });

        var error = await Assert.ThrowsAsync<GatewayException>(() => AdvanceUntilDoneAsync(write));

        Assert.Equal(4, attempts);
        Assert.Equal(GatewayErrorCodes.StorageBusy, error.ErrorCode);
        Assert.IsType<PostgresException>(error.InnerException);
    }

    [Fact]
    public async Task WriteAsync_AbortedOnce_WaitsForTheClockThenCommitsTheSecondAttempt()
    {
        var attempts = 0;
        var write = _database.WriteAsync((_, _, _) => ++attempts == 1 ? throw Aborted(PostgresErrorCodes.DeadlockDetected) : Task.FromResult(attempts));

        // The retry waits on the injected clock: real time passing does not run it.
        await Task.WhenAny(write, Task.Delay(TimeSpan.FromMilliseconds(300)));
        Assert.False(write.IsCompleted);
        Assert.Equal(1, attempts);

        Assert.Equal(2, await AdvanceUntilDoneAsync(write));
    }

    [Fact]
    public async Task WriteBatchAsync_AbortedOnEveryAttempt_TriesFourTimesThenThrowsStorageBusy()
    {
        var attempts = 0;
        var write = _database.WriteBatchAsync<int>((_, _) =>
        {
            attempts++;
            throw Aborted(PostgresErrorCodes.DeadlockDetected);
        });

        var error = await Assert.ThrowsAsync<GatewayException>(() => AdvanceUntilDoneAsync(write));

        Assert.Equal(4, attempts);
        Assert.Equal(GatewayErrorCodes.StorageBusy, error.ErrorCode);
    }

    [Fact]
    public async Task WriteAsync_OtherError_IsNotRetried()
    {
        var attempts = 0;

        await Assert.ThrowsAsync<PostgresException>(() => _database.WriteAsync<int>((_, _, _) =>
        {
            attempts++;
            throw Aborted(PostgresErrorCodes.UniqueViolation);
        }));

        Assert.Equal(1, attempts);
    }

    [Fact]
    public async Task WriteOnceAsync_Aborted_ThrowsStorageBusyAfterOneAttempt()
    {
        var attempts = 0;

        var error = await Assert.ThrowsAsync<GatewayException>(() => _database.WriteOnceAsync<int>((_, _, _) =>
        {
            attempts++;
            throw Aborted(PostgresErrorCodes.SerializationFailure);
        }));

        Assert.Equal(1, attempts);
        Assert.Equal(GatewayErrorCodes.StorageBusy, error.ErrorCode);
    }

    private static PostgresException Aborted(string sqlState) => new("aborted", "ERROR", "ERROR", sqlState);

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
