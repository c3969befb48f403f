using System.Data.Common;
using Gateway.Core.Storage.Conversations;
using static Gateway.Storage.Relational.DbCommands;

namespace Gateway.Storage.Relational;

/// <summary>
/// The reads of a table keyed by a sortable text <c>id</c> (profiles, spaces), the same on both
/// engines: one row by a unique column, and keyset pages in id order.
/// </summary>
/// <param name="database">The database the rows are in.</param>
/// <param name="table">The table (a name from our schema, never input).</param>
/// <param name="columns">The columns <paramref name="read"/> expects.</param>
/// <param name="read">Maps a row.</param>
internal sealed class KeyedRows<T>(IConnectionReads database, string table, string columns, Func<DbDataReader, T> read)
    where T : class
{
    /// <summary>The row whose <paramref name="column"/> (unique) is <paramref name="key"/>, or <see langword="null"/>.</summary>
    public Task<T?> FindAsync(string column, string key, CancellationToken cancellationToken) =>
        database.ReadAsync((connection, ct) => FindAsync(connection, null, column, key, ct), cancellationToken);

    /// <inheritdoc cref="FindAsync(string, string, CancellationToken)"/>
    public async Task<T?> FindAsync(DbConnection connection, DbTransaction? transaction, string column, string key, CancellationToken cancellationToken)
    {
        var rows = await ListAsync(connection, transaction, $"SELECT {columns} FROM {table} WHERE {column} = @key", read, cancellationToken, ("@key", key))
            .ConfigureAwait(false);
        return rows.Count == 0 ? null : rows[0];
    }

    /// <summary>Up to <paramref name="limit"/> rows after id <paramref name="after"/> in id order, and the cursor of the next page.</summary>
    public Task<Page<T>> PageAsync(string after, int limit, Func<T, string> cursorOf, CancellationToken cancellationToken) =>
        database.ReadAsync(async (connection, ct) =>
        {
            var rows = await ListAsync(connection, null, $"SELECT {columns} FROM {table} WHERE id > @after ORDER BY id LIMIT @take", read, ct,
                ("@after", after), ("@take", limit + 1)).ConfigureAwait(false);
            return StorePaging.ToPage(rows, limit, cursorOf);
        }, cancellationToken);
}
