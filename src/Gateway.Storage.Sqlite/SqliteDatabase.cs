using Gateway.Core.Errors;
using Gateway.Storage.Relational;
using Gateway.Storage.Sqlite.Conversations;
using Gateway.Storage.Sqlite.Rag;
using Gateway.Storage.Sqlite.Rag.Hnsw;
using Microsoft.Extensions.Logging;
using Microsoft.Data.Sqlite;
using Polly;

namespace Gateway.Storage.Sqlite;

/// <summary>
/// One SQLite database file, shared by the stores of this package: opens pooled connections with
/// foreign keys on, and runs write work in <c>BEGIN IMMEDIATE</c> transactions. Taking the write lock
/// up front means a transaction never has to upgrade a read lock (which SQLite refuses at once with
/// "database is locked"); waiting writers queue on the busy timeout instead, and a write still locked
/// out after every retry becomes <see cref="GatewayErrorCodes.StorageBusy"/> (HTTP 503), never a 500.
/// The file is in WAL mode (set by the first migration) with <c>synchronous = NORMAL</c>: a commit
/// survives the process being killed; only an operating-system crash may lose the latest commits, and
/// never corrupts the file.
/// <para>
/// Message appends share commits: one group-commit writer per database (started by the first append)
/// takes every append queued while the previous commit ran and writes them in one transaction, each in
/// its own savepoint. Disposing the database stops that writer (queued appends are still committed)
/// and closes its connection; reads and other writes open pooled connections and need no disposal.
/// </para>
/// </summary>
public sealed class SqliteDatabase : IAsyncDisposable, IDisposable
{
    /// <summary>"Database is locked" past the busy timeout: 4 attempts, backoff in units of 25 ms.</summary>
    internal static readonly TransientErrors TransientErrors = new(
        error => error is SqliteException sqlite && IsBusy(sqlite), attempts: 4, TimeSpan.FromMilliseconds(25), Busy);

    private const int SqliteBusy = 5;
    private const int SqliteLocked = 6;

    private readonly string _connectionString;
    private readonly TransactionRunner<SqliteConnection, SqliteTransaction> _runner;
    private readonly Lock _gate = new();
    private GroupCommitWriter? _groupCommit;
    private bool _disposed;

    /// <summary>Opens the database at <paramref name="path"/> (created by the migrations, not here).</summary>
    /// <param name="path">The SQLite file.</param>
    /// <param name="busyTimeout">How long one statement waits for another writer's lock before it counts as busy.</param>
    /// <param name="time">The clock the delays between retried writes run on (default: the system clock).</param>
    public SqliteDatabase(string path, TimeSpan? busyTimeout = null, TimeProvider? time = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        Path = System.IO.Path.GetFullPath(path);
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = Path,
            Mode = SqliteOpenMode.ReadWrite,
            ForeignKeys = true,
            Pooling = true,
            DefaultTimeout = (int)Math.Ceiling((busyTimeout ?? TimeSpan.FromSeconds(10)).TotalSeconds),
        }.ToString();

        // Microsoft.Data.Sqlite has no asynchronous BEGIN; BEGIN IMMEDIATE waits for the lock within the busy timeout.
        _runner = new(
            ct => new ValueTask<SqliteConnection>(OpenAsync(ct)),
            static (connection, _) => ValueTask.FromResult(connection.BeginTransaction(deferred: false)),
            TransientErrors,
            time ?? TimeProvider.System);
    }

    /// <summary>The full path of the file.</summary>
    public string Path { get; }

    /// <summary>Opens a connection (from the pool) ready for use.</summary>
    public async Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken = default)
    {
        var connection = new SqliteConnection(_connectionString);
        try
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            var pragma = connection.CreateCommand();
            await using (pragma.ConfigureAwait(false))
            {
                pragma.CommandText = "PRAGMA synchronous = NORMAL;";
                await pragma.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            return connection;
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>The in-memory copies of collections' vectors that searches in this process use, shared by the RAG stores over this database.</summary>
    internal CollectionVectorMirrors VectorMirrors { get; private set; } = new(RagVectorSearchSettings.Exact, null);

    /// <summary>Searches collections with <paramref name="settings"/> (HNSW indexes beside this file, quantised codes) instead of exact scans only; called once, before the first search.</summary>
    internal void UseVectorSearch(RagVectorSearchSettings settings, ILogger logger) =>
        VectorMirrors = new(settings, settings.HnswMinChunks > 0 ? new CollectionHnswIndexes(HnswIndexFiles.For(Path), settings.HnswMinChunks, logger) : null);

    /// <summary>The reads the shared store code runs, on connections of this database.</summary>
    internal IConnectionReads Reads => _runner;

    /// <summary>The write transactions the shared store code runs, begun as <see cref="WriteAsync"/> begins them.</summary>
    internal IConnectionWrites Writes => _runner;

    /// <summary>Runs <paramref name="read"/> on an open connection.</summary>
    public Task<T> ReadAsync<T>(Func<SqliteConnection, CancellationToken, Task<T>> read, CancellationToken cancellationToken = default) =>
        _runner.ReadAsync(read, cancellationToken);

    /// <summary>
    /// Runs <paramref name="write"/> in one <c>BEGIN IMMEDIATE</c> transaction and commits it. When the
    /// database is busy (another process holds the lock past the busy timeout), the whole transaction
    /// is retried; <paramref name="write"/> must therefore be safe to run again from the start.
    /// </summary>
    /// <exception cref="GatewayException"><see cref="GatewayErrorCodes.StorageBusy"/> after every attempt found the database locked.</exception>
    public Task<T> WriteAsync<T>(
        Func<SqliteConnection, SqliteTransaction, CancellationToken, Task<T>> write, CancellationToken cancellationToken = default) =>
        _runner.WriteAsync(write, cancellationToken);

    /// <summary>
    /// Runs <paramref name="write"/> in one <c>BEGIN IMMEDIATE</c> transaction, once: for work that
    /// cannot start over, such as an import reading a stream. Waiting for the lock still gets the
    /// busy timeout; if anything throws, the transaction rolls back and nothing is written.
    /// </summary>
    /// <exception cref="GatewayException"><see cref="GatewayErrorCodes.StorageBusy"/> when the database stayed locked.</exception>
    public Task<T> WriteOnceAsync<T>(
        Func<SqliteConnection, SqliteTransaction, CancellationToken, Task<T>> write, CancellationToken cancellationToken = default) =>
        _runner.WriteOnceAsync(write, cancellationToken);

    /// <summary>The retry pipeline for "database is locked", on this database's clock; the group-commit writer begins its transactions through it.</summary>
    internal ResiliencePipeline Retry => _runner.Retry;

    /// <summary>
    /// Stops the group-commit writer once the appends already queued are committed, and waits for it
    /// to close its connection. Appends made afterwards throw <see cref="ObjectDisposedException"/>.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        VectorMirrors.Dispose();
        var writer = StopGroupCommit();
        if (writer is not null)
        {
            await writer.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Stops the group-commit writer without waiting: the appends already queued are still committed
    /// and the connection closes after them. Prefer <see cref="DisposeAsync"/>.
    /// </summary>
    public void Dispose()
    {
        VectorMirrors.Dispose();
        StopGroupCommit()?.Stop();
    }

    /// <summary>
    /// Queues <paramref name="apply"/> for the group-commit writer: it runs inside a savepoint of a
    /// <c>BEGIN IMMEDIATE</c> transaction shared with whatever else was queued, and the task completes
    /// after that transaction commits. If <paramref name="apply"/> throws, only its own changes roll
    /// back and only its task fails; if the transaction cannot begin (busy past every retry:
    /// <see cref="GatewayErrorCodes.StorageBusy"/>) or commit, every write in it fails.
    /// <paramref name="cancellationToken"/> cancels the write only while it is still queued.
    /// </summary>
    internal Task<T> WriteGroupedAsync<T>(Func<GroupCommitBatch, T> apply, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(apply);
        var writer = Volatile.Read(ref _groupCommit) ?? StartGroupCommit();
        return writer is null
            ? Task.FromException<T>(new ObjectDisposedException(nameof(SqliteDatabase), "The database was disposed; its group-commit writer is stopped."))
            : writer.EnqueueAsync(apply, cancellationToken);
    }

    internal static GatewayException Busy(Exception error) => new(
        GatewayErrorKind.Unavailable,
        GatewayErrorCodes.StorageBusy,
        "The database is locked by other writers; try again shortly.",
        new Dictionary<string, object?> { ["retryAfterSeconds"] = 1 },
        error);

    private GroupCommitWriter? StartGroupCommit()
    {
        lock (_gate)
        {
            return _disposed ? null : _groupCommit ??= new GroupCommitWriter(this);
        }
    }

    private GroupCommitWriter? StopGroupCommit()
    {
        lock (_gate)
        {
            _disposed = true;
            return _groupCommit;
        }
    }

    /// <summary>Whether <paramref name="error"/> is SQLite's "database is locked" (or "table is locked").</summary>
    public static bool IsBusy(SqliteException error)
    {
        ArgumentNullException.ThrowIfNull(error);
        return (error.SqliteErrorCode & 0xFF) is SqliteBusy or SqliteLocked;
    }
}
