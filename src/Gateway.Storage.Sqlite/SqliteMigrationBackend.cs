using System.Data.Common;
using System.Globalization;
using Gateway.Core.Storage.Migrations;
using Microsoft.Data.Sqlite;
using Polly;
using Polly.Retry;

namespace Gateway.Storage.Sqlite;

/// <summary>
/// Runs migrations on a SQLite file. Each step is a <c>BEGIN IMMEDIATE</c> transaction, which takes
/// SQLite's write lock, so two processes never migrate at once; WAL mode and a busy timeout let the
/// second one wait rather than fail. Before an upgrade or a down step an online backup
/// (SQLite's backup API) is written next to the file.
/// </summary>
public sealed class SqliteMigrationBackend : IMigrationBackend
{
    private const int BackupAttempts = 100;
    private static readonly TimeSpan BackupRetryDelay = TimeSpan.FromMilliseconds(100);

    private readonly string _path;
    private readonly TimeProvider _time;
    private readonly ResiliencePipeline _backupRetry;

    /// <summary>Creates the backend for the SQLite file at <paramref name="path"/>.</summary>
    public SqliteMigrationBackend(string path, TimeProvider? time = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        _path = Path.GetFullPath(path);
        _time = time ?? TimeProvider.System;

        // The backup API has no busy handler of its own: while another process holds a lock it needs
        // (a second runner opening the file, a checkpoint), it fails at once with "database is locked".
        _backupRetry = new ResiliencePipelineBuilder { TimeProvider = _time }
            .AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = new PredicateBuilder().Handle<SqliteException>(SqliteDatabase.IsBusy),
                MaxRetryAttempts = BackupAttempts - 1,
                BackoffType = DelayBackoffType.Constant,
                Delay = BackupRetryDelay,
            })
            .Build();
    }

    /// <summary>The migrations this package ships, from its embedded scripts.</summary>
    public static IReadOnlyList<SchemaMigration> Migrations { get; } = EmbeddedMigrations.Load(typeof(SqliteMigrationBackend).Assembly);

    /// <summary>A runner for this package's migrations on the file at <paramref name="path"/>.</summary>
    public static MigrationRunner CreateRunner(string path, TimeProvider? time = null) =>
        new(new SqliteMigrationBackend(path, time), Migrations, time);

    /// <inheritdoc />
    public async Task<DbConnection> OpenAsync(CancellationToken cancellationToken = default)
    {
        if (Path.GetDirectoryName(_path) is { } folder)
        {
            Directory.CreateDirectory(folder);
        }

        var connection = new SqliteConnection(ConnectionString(_path));
        await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        var pragmas = connection.CreateCommand();
        await using (pragmas.ConfigureAwait(false))
        {
            pragmas.CommandText = "PRAGMA journal_mode = WAL; PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 10000;";
            await pragmas.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        return connection;
    }

    /// <inheritdoc />
    public Task<DbTransaction> BeginStepAsync(DbConnection connection, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(connection);

        // Not deferred: BEGIN IMMEDIATE takes the write lock now, before the version is read. Microsoft.Data.Sqlite
        // has no asynchronous form of it; waiting for the lock (busy_timeout) blocks, which migrations can afford.
        return Task.FromResult<DbTransaction>(((SqliteConnection)connection).BeginTransaction(deferred: false));
    }

    /// <inheritdoc />
    public async Task<string?> BackupAsync(int currentVersion, CancellationToken cancellationToken = default)
    {
        if (currentVersion == 0 || !File.Exists(_path))
        {
            return null;
        }

        var backup = $"{_path}.v{currentVersion}-{_time.GetUtcNow().ToString("yyyyMMddHHmmssfff", CultureInfo.InvariantCulture)}.bak";
        var source = new SqliteConnection(ConnectionString(_path));
        var destination = new SqliteConnection(ConnectionString(backup));
        await using (source.ConfigureAwait(false))
        await using (destination.ConfigureAwait(false))
        {
            await source.OpenAsync(cancellationToken).ConfigureAwait(false);
            await destination.OpenAsync(cancellationToken).ConfigureAwait(false);

            await _backupRetry.ExecuteAsync(
                static (connections, _) =>
                {
                    connections.source.BackupDatabase(connections.destination);
                    return ValueTask.CompletedTask;
                },
                (source, destination),
                cancellationToken).ConfigureAwait(false);
        }

        return backup;
    }

    private static string ConnectionString(string path) =>
        new SqliteConnectionStringBuilder { DataSource = path, Pooling = false, Mode = SqliteOpenMode.ReadWriteCreate }.ToString();
}
