using System.Data;
using System.Data.Common;
using Gateway.Storage.Relational;
using Npgsql;
using static Gateway.Storage.Postgres.Conversations.PostgresRows;

namespace Gateway.Storage.Postgres.Rag.Internal;

/// <summary>The shared RAG reads with PostgreSQL's instants and snapshots.</summary>
internal static class PostgresRagReads
{
    /// <summary>Reads over <paramref name="database"/>; a snapshot is a REPEATABLE READ transaction.</summary>
    public static RagReads Create(PostgresDatabase database) => new(database.Reads, ReadTime, BeginSnapshot);

    private static async ValueTask<DbTransaction> BeginSnapshot(DbConnection connection, CancellationToken cancellationToken) =>
        await ((NpgsqlConnection)connection).BeginTransactionAsync(IsolationLevel.RepeatableRead, cancellationToken).ConfigureAwait(false);
}
