using System.Data;
using System.Data.Common;
using Gateway.Storage.Relational;
using Npgsql;
using static Gateway.Storage.Postgres.Conversations.PostgresRows;
using static Gateway.Storage.Relational.DbCommands;

namespace Gateway.Storage.Postgres.Rag.Internal;

/// <summary>The shared RAG reads with PostgreSQL's instants, snapshots and stored texts.</summary>
internal static class PostgresRagReads
{
    // The column is stored EXTERNAL (uncompressed, out of line), so substr fetches only the TOAST chunks of the range.
    private const string TextSlice = "SELECT substr(text_utf16, @from, @count) FROM rag_document_texts WHERE document_id = @id";

    /// <summary>Reads over <paramref name="database"/>; a snapshot is a REPEATABLE READ transaction.</summary>
    public static RagReads Create(PostgresDatabase database) => new(database.Reads, ReadTime, BeginSnapshot, ReadTextSliceAsync);

    private static async ValueTask<DbTransaction> BeginSnapshot(DbConnection connection, CancellationToken cancellationToken) =>
        await ((NpgsqlConnection)connection).BeginTransactionAsync(IsolationLevel.RepeatableRead, cancellationToken).ConfigureAwait(false);

    private static async Task<string> ReadTextSliceAsync(
        DbConnection connection, DbTransaction transaction, string documentId, int start, int count, CancellationToken cancellationToken) =>
        await ScalarAsync(connection, transaction, TextSlice, cancellationToken, ("from", start * 2 + 1), ("count", count * 2), ("id", documentId))
            .ConfigureAwait(false) is byte[] bytes
            ? Utf16TextStream.Decode(bytes)
            : throw new InvalidOperationException("The text measured in this snapshot has no row.");
}
