using Gateway.Core.Storage.Rag;
using Gateway.Storage.Postgres.Conversations;
using Gateway.Storage.Relational;

namespace Gateway.Storage.Postgres.Rag;

/// <summary>
/// <see cref="IRagSourceStore"/> on PostgreSQL, shared by every replica on the database: a claim is a
/// conditional UPDATE, and the row lock makes a racing replica's UPDATE re-read the claimed row and match
/// nothing, so one replica syncs a source at a time. The store is the same code as SQLite's, so it has no
/// class of its own here.
/// </summary>
public static class PostgresRagSourceStore
{
    /// <summary>The source store over <paramref name="database"/> (migrated to the newest version), on <paramref name="time"/> (default: the system clock).</summary>
    public static IRagSourceStore Create(PostgresDatabase database, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(database);
        return new RelationalRagSourceStore(
            database.Reads, database.Writes, static value => PostgresRows.ToStored(value), PostgresRows.ReadTime, time ?? TimeProvider.System);
    }
}
