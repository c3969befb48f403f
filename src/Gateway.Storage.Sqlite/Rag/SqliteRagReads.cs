using System.Data.Common;
using System.Runtime.InteropServices;
using Gateway.Storage.Relational;
using Microsoft.Data.Sqlite;
using static Gateway.Storage.Relational.DbCommands;
using static Gateway.Storage.Sqlite.Conversations.ConversationRows;

namespace Gateway.Storage.Sqlite.Rag;

/// <summary>The shared RAG reads with SQLite's instants, snapshots and stored texts.</summary>
internal static class SqliteRagReads
{
    /// <summary>Reads over <paramref name="database"/>; a snapshot is a deferred transaction, which sees one state of the file from its first statement on.</summary>
    public static RagReads Create(SqliteDatabase database) =>
        new(database.Reads, ReadTime, BeginSnapshot, ReadTextSliceAsync);

    /// <summary>Begins a read transaction that sees one snapshot and takes no write lock.</summary>
    public static ValueTask<DbTransaction> BeginSnapshot(DbConnection connection, CancellationToken cancellationToken) =>
        ValueTask.FromResult<DbTransaction>(((SqliteConnection)connection).BeginTransaction(deferred: true));

    // Incremental blob I/O reads the pages that hold the range; substr() would load the whole blob into SQLite's memory first.
    private static async Task<string> ReadTextSliceAsync(
        DbConnection connection, DbTransaction transaction, string documentId, int start, int count, CancellationToken cancellationToken)
    {
        var rowid = (long)(await ScalarAsync(connection, transaction, "SELECT rowid FROM rag_document_texts WHERE document_id = @id", cancellationToken,
            ("@id", documentId)).ConfigureAwait(false) ?? throw new InvalidOperationException("The text measured in this snapshot has no row."));
        using var blob = new SqliteBlob((SqliteConnection)connection, "rag_document_texts", "text_utf16", rowid, readOnly: true);
        blob.Position = start * 2L;
        return string.Create(count, blob, static (characters, blob) =>
        {
            var bytes = MemoryMarshal.AsBytes(characters);
            while (!bytes.IsEmpty)
            {
                var read = blob.Read(bytes);
                if (read == 0)
                {
                    throw new InvalidOperationException("The stored text ended before the range measured in this snapshot.");
                }

                bytes = bytes[read..];
            }
        });
    }
}
