using Gateway.Core.Errors;
using Gateway.Storage.Relational;
using Npgsql;

namespace Gateway.Storage.Postgres;

/// <summary>
/// One PostgreSQL database, shared by the stores of this package through one
/// <see cref="NpgsqlDataSource"/> (its connection pool). Writes run in READ COMMITTED transactions
/// that lock the conversation row they change first, so writers from any number of gateway replicas
/// queue on that row instead of overwriting each other. A transaction PostgreSQL aborts to break a
/// deadlock or a serialization conflict is retried; one that still fails becomes
/// <see cref="GatewayErrorCodes.StorageBusy"/> (HTTP 503), never a 500.
/// </summary>
public sealed class PostgresDatabase : IAsyncDisposable
{
    /// <summary>PostgreSQL's aborts that running the transaction again resolves: 4 attempts, backoff in units of 10 ms.</summary>
    internal static readonly TransientErrors TransientErrors = new(
        error => error is PostgresException postgres && IsTransient(postgres), attempts: 4, TimeSpan.FromMilliseconds(10), Busy);

    private readonly bool _ownsDataSource;
    private readonly TransactionRunner<NpgsqlConnection, NpgsqlTransaction> _runner;
    private int _vectorState;

    /// <summary>Uses <paramref name="dataSource"/> (for example the one an app registered with <c>AddNpgsqlDataSource</c>).</summary>
    /// <param name="dataSource">The data source; the database must be migrated to the newest version.</param>
    /// <param name="ownsDataSource">Whether disposing this object disposes <paramref name="dataSource"/>.</param>
    /// <param name="time">The clock the delays between retried writes run on (default: the system clock).</param>
    public PostgresDatabase(NpgsqlDataSource dataSource, bool ownsDataSource = false, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        DataSource = dataSource;
        _ownsDataSource = ownsDataSource;
        _runner = new(
            dataSource.OpenConnectionAsync,
            static (connection, ct) => connection.BeginTransactionAsync(ct),
            TransientErrors,
            time ?? TimeProvider.System);
    }

    /// <summary>The data source the stores use.</summary>
    public NpgsqlDataSource DataSource { get; }

    /// <summary>
    /// Builds a data source for <paramref name="connectionString"/> (an Npgsql keyword string or a
    /// <c>postgres://</c> URL) with pgvector's types mapped, and a database that owns it.
    /// </summary>
    /// <param name="connectionString">The connection string.</param>
    /// <param name="time">The clock the delays between retried writes run on (default: the system clock).</param>
    public static PostgresDatabase Create(string connectionString, TimeProvider? time = null) =>
        new(CreateDataSource(connectionString), ownsDataSource: true, time);

    /// <summary>A data source for <paramref name="connectionString"/> with pgvector's <c>vector</c> type mapped.</summary>
    public static NpgsqlDataSource CreateDataSource(string connectionString)
    {
        var builder = new NpgsqlDataSourceBuilder(PostgresConnectionStrings.ToNpgsql(connectionString));
        builder.UseVector();
        return builder.Build();
    }

    /// <summary>The reads the shared store code runs, on connections of this database.</summary>
    internal IConnectionReads Reads => _runner;

    /// <summary>The write transactions the shared store code runs, begun as <see cref="WriteAsync"/> begins them.</summary>
    internal IConnectionWrites Writes => _runner;

    /// <summary>Runs <paramref name="read"/> on an open connection from the pool.</summary>
    public Task<T> ReadAsync<T>(Func<NpgsqlConnection, CancellationToken, Task<T>> read, CancellationToken cancellationToken = default) =>
        _runner.ReadAsync(read, cancellationToken);

    /// <summary>
    /// Runs <paramref name="write"/> in one transaction and commits it; when PostgreSQL aborts it for a
    /// deadlock or a serialization conflict, the whole transaction runs again, so <paramref name="write"/>
    /// must be safe to start over.
    /// </summary>
    /// <exception cref="GatewayException"><see cref="GatewayErrorCodes.StorageBusy"/> after every attempt was aborted.</exception>
    public Task<T> WriteAsync<T>(
        Func<NpgsqlConnection, NpgsqlTransaction, CancellationToken, Task<T>> write, CancellationToken cancellationToken = default) =>
        _runner.WriteAsync(write, cancellationToken);

    /// <summary>Runs <paramref name="write"/> in one transaction, once: for work that cannot start over, such as an import reading a stream.</summary>
    /// <exception cref="GatewayException"><see cref="GatewayErrorCodes.StorageBusy"/> when PostgreSQL aborted it for a conflict.</exception>
    public Task<T> WriteOnceAsync<T>(
        Func<NpgsqlConnection, NpgsqlTransaction, CancellationToken, Task<T>> write, CancellationToken cancellationToken = default) =>
        _runner.WriteOnceAsync(write, cancellationToken);

    /// <summary>
    /// Runs <paramref name="write"/> on a connection without a transaction of its own (one batch is one
    /// implicit transaction), run again from the start when PostgreSQL aborts it like <see cref="WriteAsync"/>.
    /// </summary>
    /// <exception cref="GatewayException"><see cref="GatewayErrorCodes.StorageBusy"/> after every attempt was aborted.</exception>
    internal Task<T> WriteBatchAsync<T>(Func<NpgsqlConnection, CancellationToken, Task<T>> write, CancellationToken cancellationToken = default) =>
        _runner.ReadRetriedAsync(write, cancellationToken);

    /// <summary>Whether the pgvector extension is created in this database.</summary>
    public Task<bool> HasVectorExtensionAsync(CancellationToken cancellationToken = default) =>
        ReadAsync(
            static async (connection, ct) => (bool)(await DbCommands.ScalarAsync(
                connection, null, "SELECT EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'vector')", ct).ConfigureAwait(false))!,
            cancellationToken);

    /// <summary>
    /// Checks, once per database object, that pgvector is there; vector features call it before their
    /// first query so a missing extension is a clear message instead of "type vector does not exist".
    /// </summary>
    /// <exception cref="GatewayException"><see cref="GatewayErrorCodes.NotReady"/> (HTTP 503) naming the fix, when it is missing.</exception>
    public async Task EnsureVectorExtensionAsync(CancellationToken cancellationToken = default)
    {
        if (Volatile.Read(ref _vectorState) == 1)
        {
            return;
        }

        if (!await HasVectorExtensionAsync(cancellationToken).ConfigureAwait(false))
        {
            throw new GatewayException(
                GatewayErrorKind.Unavailable,
                GatewayErrorCodes.NotReady,
                "This feature stores vectors, and the PostgreSQL database has no pgvector extension. Install pgvector on the server "
                + "(https://github.com/pgvector/pgvector; package postgresql-NN-pgvector), then run CREATE EXTENSION vector; as a superuser "
                + "in this database, or restart the gateway as a role allowed to create it (its first migration does).",
                new Dictionary<string, object?> { ["extension"] = "vector" });
        }

        Volatile.Write(ref _vectorState, 1);
    }

    /// <summary>Whether PostgreSQL aborted the transaction for a conflict that running it again resolves.</summary>
    public static bool IsTransient(PostgresException error)
    {
        ArgumentNullException.ThrowIfNull(error);
        return error.SqlState is PostgresErrorCodes.SerializationFailure or PostgresErrorCodes.DeadlockDetected or PostgresErrorCodes.LockNotAvailable;
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (_ownsDataSource)
        {
            await DataSource.DisposeAsync().ConfigureAwait(false);
        }
    }

    private static GatewayException Busy(Exception error) => new(
        GatewayErrorKind.Unavailable,
        GatewayErrorCodes.StorageBusy,
        "The database aborted the write for a conflict with other writers, on every attempt; try again shortly.",
        new Dictionary<string, object?> { ["retryAfterSeconds"] = 1 },
        error);
}
