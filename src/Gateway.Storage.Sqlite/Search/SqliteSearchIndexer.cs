using System.Threading.Channels;
using Microsoft.Data.Sqlite;

namespace Gateway.Storage.Sqlite.Search;

/// <summary>
/// Brings the search index (<c>messages_fts</c>) up to date after bulk imports. An import writes its
/// messages with indexing deferred and records their <c>seq</c> range in <c>search_backlog</c>, so it
/// writes at plain-insert speed; this indexer then adds those ranges to the index in batches, one
/// short write transaction each, so appends and searches keep running while it catches up. Until it
/// has, <see cref="PendingAsync(SqliteConnection, SqliteTransaction?, CancellationToken)"/> says how
/// many messages search cannot find yet. A hosted service (registered by <c>AddSqliteStorage</c>)
/// runs it at start-up and after each import.
/// </summary>
public sealed class SqliteSearchIndexer
{
    /// <summary>The messages indexed per transaction when none is configured.</summary>
    public const int DefaultBatchSize = 2_000;

    private const string NextRange = "SELECT rowid, first_seq, last_seq FROM search_backlog ORDER BY first_seq LIMIT 1";

    private const string IndexRange = """
        INSERT INTO messages_fts (rowid, content) SELECT seq, content FROM messages WHERE seq BETWEEN $first AND $last
        """;

    // An upper bound: a message deleted before the indexer reached it still counts until its range is indexed.
    private const string Pending = "SELECT coalesce(sum(last_seq - first_seq + 1), 0) FROM search_backlog";

    private readonly SqliteDatabase _database;
    private readonly int _batchSize;
    private readonly Channel<bool> _requests = Channel.CreateBounded<bool>(
        new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite, SingleReader = true });

    /// <summary>Creates the indexer for <paramref name="database"/>.</summary>
    /// <param name="database">The database whose backlog to index.</param>
    /// <param name="batchSize">Messages (by seq range) indexed per transaction; each transaction holds the write lock, so smaller batches keep appends waiting less.</param>
    public SqliteSearchIndexer(SqliteDatabase database, int batchSize = DefaultBatchSize)
    {
        ArgumentNullException.ThrowIfNull(database);
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        _database = database;
        _batchSize = batchSize;
    }

    /// <summary>
    /// Indexes every backlog range now, one batch per transaction, and returns how many messages it
    /// added. Safe to run beside other writers and beside another catch-up: each batch reads the
    /// backlog under the write lock.
    /// </summary>
    public async Task<long> CatchUpAsync(CancellationToken cancellationToken = default)
    {
        long indexed = 0;
        while (true)
        {
            var added = await _database.WriteAsync(IndexNextBatchAsync, cancellationToken).ConfigureAwait(false);
            if (added < 0)
            {
                return indexed;
            }

            indexed += added;
        }
    }

    /// <summary>How many stored messages are not in the search index yet; 0 when it is current.</summary>
    public Task<long> PendingAsync(CancellationToken cancellationToken = default) =>
        _database.ReadAsync((connection, ct) => PendingAsync(connection, null, ct), cancellationToken);

    /// <summary>
    /// How many stored messages are not in the search index yet, read on <paramref name="connection"/>
    /// (for <see cref="Gateway.Core.Storage.Conversations.MessageSearchResults.PendingIndexMessages"/>).
    /// </summary>
    public Task<long> PendingAsync(SqliteConnection connection, CancellationToken cancellationToken = default) =>
        PendingAsync(connection, null, cancellationToken);

    /// <summary>
    /// How many stored messages are not in the search index yet, read on <paramref name="connection"/>
    /// inside <paramref name="transaction"/> (Microsoft.Data.Sqlite requires a command to name the
    /// connection's open transaction). An upper bound while a range is partly deleted.
    /// </summary>
    public async Task<long> PendingAsync(SqliteConnection connection, SqliteTransaction? transaction, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(connection);
        var command = connection.CreateCommand();
        await using (command.ConfigureAwait(false))
        {
            command.Transaction = transaction;
            command.CommandText = Pending;
            return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), System.Globalization.CultureInfo.InvariantCulture);
        }
    }

    /// <summary>Asks the background service to catch up soon; requests made while one is pending fold into it.</summary>
    public void RequestCatchUp() => _requests.Writer.TryWrite(true);

    /// <summary>Waits for the next <see cref="RequestCatchUp"/>.</summary>
    internal async Task WaitForRequestAsync(CancellationToken cancellationToken) =>
        await _requests.Reader.ReadAsync(cancellationToken).ConfigureAwait(false);

    // Returns the messages indexed, or -1 when the backlog is empty.
    private async Task<long> IndexNextBatchAsync(SqliteConnection connection, SqliteTransaction transaction, CancellationToken cancellationToken)
    {
        long row, first, last;
        var next = connection.CreateCommand();
        await using (next.ConfigureAwait(false))
        {
            next.Transaction = transaction;
            next.CommandText = NextRange;
            var reader = await next.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    return -1;
                }

                (row, first, last) = (reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2));
            }
        }

        var end = Math.Min(last, first + _batchSize - 1);
        var index = connection.CreateCommand();
        await using (index.ConfigureAwait(false))
        {
            index.Transaction = transaction;
            index.CommandText = IndexRange + (end == last
                ? "; DELETE FROM search_backlog WHERE rowid = $row"
                : "; UPDATE search_backlog SET first_seq = $last + 1 WHERE rowid = $row");
            index.Parameters.AddWithValue("$first", first);
            index.Parameters.AddWithValue("$last", end);
            index.Parameters.AddWithValue("$row", row);
            var changed = await index.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);

            // ExecuteNonQuery sums the changes of both statements; the backlog row is the one not indexed.
            return Math.Max(0, changed - 1);
        }
    }
}
