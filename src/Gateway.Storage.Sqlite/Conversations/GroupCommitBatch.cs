using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace Gateway.Storage.Sqlite.Conversations;

/// <summary>
/// The group-commit writer's connection and what an item may do with it: run parameterised SQL inside
/// the open batch transaction. Commands are prepared once per SQL text and kept for the life of the
/// connection, so an item only rebinds parameters; the cache is keyed by the string's identity (the
/// SQL is always a constant), falling back to nothing worse than a second prepared copy.
/// </summary>
internal sealed class GroupCommitBatch : IDisposable
{
    // The transaction is driven with plain statements rather than SqliteTransaction, so the cached
    // commands never need their Transaction property re-pointed at each batch.
    private const string BeginSql = "BEGIN IMMEDIATE";
    private const string CommitSql = "COMMIT";
    private const string RollbackSql = "ROLLBACK";
    private const string SavepointSql = "SAVEPOINT item";
    private const string ReleaseSql = "RELEASE item";
    private const string RollbackToSavepointSql = "ROLLBACK TO item";

    private readonly SqliteConnection _connection;
    private readonly Dictionary<string, SqliteCommand> _commands = new(ReferenceEqualityComparer.Instance);

    public GroupCommitBatch(SqliteConnection connection) => _connection = connection;

    /// <summary>Whether a transaction is open on the connection (SQLite ends one by itself after some errors).</summary>
    public bool InTransaction => raw.sqlite3_get_autocommit(_connection.Handle) == 0;

    /// <summary>Runs <paramref name="sql"/> and returns the first column of its first row (<see langword="null"/> when no row).</summary>
    public object? Scalar(string sql, params ReadOnlySpan<(string Name, object? Value)> parameters) => Bind(sql, parameters).ExecuteScalar();

    /// <summary>Runs <paramref name="sql"/> and returns the rows it changed.</summary>
    public int Execute(string sql, params ReadOnlySpan<(string Name, object? Value)> parameters) => Bind(sql, parameters).ExecuteNonQuery();

    /// <summary>Takes the write lock; waits up to the busy timeout, then throws SQLite's busy error.</summary>
    public void Begin() => Execute(BeginSql);

    public void Commit() => Execute(CommitSql);

    /// <summary>Rolls back whatever is open, if anything; never throws.</summary>
    public void RollbackQuietly()
    {
        try
        {
            if (InTransaction)
            {
                Execute(RollbackSql);
            }
        }
        catch (SqliteException)
        {
            // The connection is dropped after a failed batch; SQLite rolls back on close.
        }
    }

    public void Savepoint() => Execute(SavepointSql);

    public void ReleaseSavepoint() => Execute(ReleaseSql);

    /// <summary>Undoes one item's changes and leaves the batch's transaction open for the next item.</summary>
    public void RollbackToSavepoint()
    {
        Execute(RollbackToSavepointSql);
        Execute(ReleaseSql);
    }

    public void Dispose()
    {
        foreach (var command in _commands.Values)
        {
            command.Dispose();
        }

        _commands.Clear();
        if (InTransaction)
        {
            // Never hand a connection with a transaction still open back to the pool.
            SqliteConnection.ClearPool(_connection);
        }

        _connection.Dispose();
    }

    private SqliteCommand Bind(string sql, ReadOnlySpan<(string Name, object? Value)> parameters)
    {
        if (!_commands.TryGetValue(sql, out var command))
        {
            command = _connection.CreateCommand();
            command.CommandText = sql;
            foreach (var (name, _) in parameters)
            {
                command.Parameters.Add(new SqliteParameter { ParameterName = name });
            }

            command.Prepare();
            _commands.Add(sql, command);
        }

        var bound = command.Parameters;
        foreach (var (name, value) in parameters)
        {
            bound[name].Value = value ?? DBNull.Value;
        }

        return command;
    }
}
