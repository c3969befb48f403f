using Gateway.Core.Storage.Rag;
using Gateway.Storage.Relational;
using Gateway.Storage.Sqlite.Conversations;

namespace Gateway.Storage.Sqlite.Rag;

/// <summary>
/// <see cref="IRagSourceStore"/> on SQLite. Every write is one <c>BEGIN IMMEDIATE</c> transaction, so the
/// database's single write lock lets one claim of a source win, in this process or another on the same
/// file. The store is the same code as PostgreSQL's, so it has no class of its own here.
/// </summary>
public static class SqliteRagSourceStore
{
    /// <summary>The source store over <paramref name="database"/> (migrated to the newest version), on <paramref name="time"/> (default: the system clock).</summary>
    public static IRagSourceStore Create(SqliteDatabase database, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(database);
        return new RelationalRagSourceStore(
            database.Reads, database.Writes, static value => ConversationRows.FormatTime(value), ConversationRows.ReadTime, time ?? TimeProvider.System);
    }
}
