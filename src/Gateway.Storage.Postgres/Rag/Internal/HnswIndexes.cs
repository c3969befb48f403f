using System.Data;
using System.Globalization;
using Npgsql;

namespace Gateway.Storage.Postgres.Rag.Internal;

/// <summary>
/// The per-dimension pgvector indexes: collections of different dimensions share <c>rag_chunks</c>, whose
/// <c>embedding</c> is a <c>real[]</c>, so each dimension count N has its own partial HNSW index on the
/// immutable cast <c>embedding::vector(N)</c> for the rows <c>WHERE dimensions = N</c>, and searches use
/// the same expression (<see cref="Embedding"/>). The index is made before the first collection of N
/// dimensions is created (or an empty one re-dimensioned), with <c>CREATE INDEX CONCURRENTLY</c>: building
/// it scans all of <c>rag_chunks</c>, and a plain build would hold every writer of every collection for that
/// long. A concurrent build cannot run in a transaction, so it runs on its own connection under a session
/// advisory lock on N: of replicas doing it at once one builds it, and the others go on without waiting
/// (until it is valid, searches of N dimensions scan exactly, as the planner ignores an index being built).
/// A concurrent build that failed (cancelled, the connection lost) leaves an INVALID index behind, which
/// searches cannot use; the next attempt drops it (concurrently too) and builds it again. See ADR 0019.
/// </summary>
internal static class HnswIndexes
{
    // The first key of the advisory lock (the second is N): an arbitrary constant, "rag!".
    private const int LockKey = 0x72616721;

    // null: no index of this name; true or false: whether it is valid.
    private const string StateSql = "SELECT i.indisvalid FROM pg_index i WHERE i.indexrelid = to_regclass(@name)";

    /// <summary>The expression every index and query on vectors of <paramref name="dimensions"/> uses.</summary>
    public static string Embedding(int dimensions, string? alias = null) =>
        string.Create(CultureInfo.InvariantCulture, $"({(alias is null ? string.Empty : alias + ".")}embedding::vector({dimensions}))");

    /// <summary>The index's name.</summary>
    public static string Name(int dimensions) => string.Create(CultureInfo.InvariantCulture, $"rag_chunks_embedding_{dimensions}");

    /// <summary>
    /// Makes the valid index for <paramref name="dimensions"/> unless there is one or another session is making it; outside
    /// any transaction. A build waits, as every concurrent build does, for the transactions already running in the database.
    /// </summary>
    public static Task EnsureAsync(PostgresDatabase database, int dimensions, CancellationToken cancellationToken) =>
        database.ReadAsync(async (connection, ct) =>
        {
            if (await IsValidAsync(connection, dimensions, ct).ConfigureAwait(false) is true)
            {
                return true;
            }

            // Never wait for the lock: a concurrent build waits for every transaction in the database that began
            // before it, a statement waiting for the lock included, so two builders waiting on each other deadlock.
            if (!await TryLockAsync(connection, dimensions, ct).ConfigureAwait(false))
            {
                return false;
            }

            try
            {
                switch (await IsValidAsync(connection, dimensions, ct).ConfigureAwait(false))
                {
                    case true:
                        return true;
                    case false:
                        await RunAsync(connection, string.Create(CultureInfo.InvariantCulture, $"DROP INDEX CONCURRENTLY IF EXISTS {Name(dimensions)}"), null, ct)
                            .ConfigureAwait(false);
                        break;
                }

                // dimensions is a validated int (1 to RagRules.MaxDimensions), not text from outside: DDL takes no parameters.
                await RunAsync(connection, string.Create(CultureInfo.InvariantCulture,
                    $"CREATE INDEX CONCURRENTLY IF NOT EXISTS {Name(dimensions)} ON rag_chunks USING hnsw ({Embedding(dimensions)} vector_cosine_ops) WHERE dimensions = {dimensions}"),
                    null, ct).ConfigureAwait(false);
                return true;
            }
            finally
            {
                await UnlockAsync(connection, dimensions).ConfigureAwait(false);
            }
        }, cancellationToken);

    private static async Task<bool> TryLockAsync(NpgsqlConnection connection, int dimensions, CancellationToken cancellationToken)
    {
        var command = new NpgsqlCommand("SELECT pg_try_advisory_lock(@key, @dimensions)", connection);
        await using (command.ConfigureAwait(false))
        {
            command.Parameters.AddWithValue("key", LockKey);
            command.Parameters.AddWithValue("dimensions", dimensions);
            return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is true;
        }
    }

    private static async Task<bool?> IsValidAsync(NpgsqlConnection connection, int dimensions, CancellationToken cancellationToken)
    {
        var command = new NpgsqlCommand(StateSql, connection);
        await using (command.ConfigureAwait(false))
        {
            command.Parameters.AddWithValue("name", Name(dimensions));
            return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) as bool?;
        }
    }

    // Not cancellable: the connection goes back to the pool, and a session lock left on it would outlive this call.
    private static async Task UnlockAsync(NpgsqlConnection connection, int dimensions)
    {
        try
        {
            await RunAsync(connection, "SELECT pg_advisory_unlock(@key, @dimensions)", dimensions, CancellationToken.None).ConfigureAwait(false);
        }
        catch (NpgsqlException) when (connection.State != ConnectionState.Open)
        {
            // A cancelled build broke the connection: its session has ended, and the server released the lock with it.
        }
    }

    // No command timeout: a build over a large table takes minutes, and the caller's token is what stops it.
    // The lock's keys are bound only for the statements that name them (lockDimensions); DDL takes no parameters.
    private static async Task RunAsync(NpgsqlConnection connection, string sql, int? lockDimensions, CancellationToken cancellationToken)
    {
        var command = new NpgsqlCommand(sql, connection) { CommandTimeout = 0 };
        await using (command.ConfigureAwait(false))
        {
            if (lockDimensions is { } dimensions)
            {
                command.Parameters.AddWithValue("key", LockKey);
                command.Parameters.AddWithValue("dimensions", dimensions);
            }

            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
    }
}
