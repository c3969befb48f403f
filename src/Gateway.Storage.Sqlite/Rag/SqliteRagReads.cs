using System.Data.Common;
using Gateway.Storage.Relational;
using Microsoft.Data.Sqlite;
using static Gateway.Storage.Sqlite.Conversations.ConversationRows;

namespace Gateway.Storage.Sqlite.Rag;

/// <summary>The shared RAG reads with SQLite's instants and snapshots.</summary>
internal static class SqliteRagReads
{
    /// <summary>Reads over <paramref name="database"/>; a snapshot is a deferred transaction, which sees one state of the file from its first statement on.</summary>
    public static RagReads Create(SqliteDatabase database) =>
        new(database.Reads, ReadTime, BeginSnapshot);

    /// <summary>Begins a read transaction that sees one snapshot and takes no write lock.</summary>
    public static ValueTask<DbTransaction> BeginSnapshot(DbConnection connection, CancellationToken cancellationToken) =>
        ValueTask.FromResult<DbTransaction>(((SqliteConnection)connection).BeginTransaction(deferred: true));
}
