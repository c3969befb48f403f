using Gateway.Core.Storage.Jobs;
using Gateway.Storage.Postgres.Conversations;
using Gateway.Storage.Relational;

namespace Gateway.Storage.Postgres.Jobs;

/// <summary>
/// <see cref="IJobStore"/> on PostgreSQL, shared by every replica on the database. A claim reads the
/// oldest claimable job <c>FOR UPDATE SKIP LOCKED</c> and takes it in the same transaction, so replicas
/// racing for work each get a different job without waiting on each other; requests (cancel, pause,
/// resume) lock the job row <c>FOR UPDATE</c> before deciding. The store is the same code as SQLite's
/// but for that locking (ADR 0020), so it has no class of its own here.
/// </summary>
public static class PostgresJobStore
{
    private static readonly JobEngine Engine = new(
        LockRow: "FOR UPDATE", ClaimLock: "FOR UPDATE SKIP LOCKED", StoreTime: static value => PostgresRows.ToStored(value), ReadTime: PostgresRows.ReadTime);

    /// <summary>The job store over <paramref name="database"/> (migrated to the newest version), on <paramref name="time"/> (default: the system clock).</summary>
    public static IJobStore Create(PostgresDatabase database, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(database);
        return new RelationalJobStore(database.Reads, database.Writes, Engine, time ?? TimeProvider.System);
    }
}
