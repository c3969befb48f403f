using Gateway.Core.Storage.Jobs;
using Gateway.Storage.Relational;
using Gateway.Storage.Sqlite.Conversations;

namespace Gateway.Storage.Sqlite.Jobs;

/// <summary>
/// <see cref="IJobStore"/> on SQLite. Every change is one <c>BEGIN IMMEDIATE</c> transaction: the
/// database's single write lock serialises claims, so two workers (in this process or another one on
/// the same file) never claim the same job, and a job's events are appended in commit order. The store
/// is the same code as PostgreSQL's but for its locking (ADR 0020), so it has no class of its own here.
/// </summary>
public static class SqliteJobStore
{
    private static readonly JobEngine Engine = new(
        LockRow: string.Empty, ClaimLock: string.Empty, StoreTime: static value => ConversationRows.FormatTime(value), ReadTime: ConversationRows.ReadTime);

    /// <summary>The job store over <paramref name="database"/> (migrated to the newest version), on <paramref name="time"/> (default: the system clock).</summary>
    public static IJobStore Create(SqliteDatabase database, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(database);
        return new RelationalJobStore(database.Reads, database.Writes, Engine, time ?? TimeProvider.System);
    }
}
