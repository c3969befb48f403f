using System.Data.Common;
using System.Text;
using Gateway.Core.Storage.Rag;
using Microsoft.Data.Sqlite;
using static Gateway.Storage.Relational.RagRows;

namespace Gateway.Storage.Sqlite.Rag;

/// <summary>Reads chunks of one collection by key, in batches that stay far below SQLite's parameter limit.</summary>
internal static class ChunkHitRows
{
    /// <summary>How many keys one statement asks for.</summary>
    public const int BatchSize = 500;

    /// <summary>The chunks among <paramref name="chunkIds"/> that exist, by key, each with its document's name and (when asked) its vector.</summary>
    public static async Task<Dictionary<string, (RagChunk Chunk, string DocumentName)>> ReadAsync(
        SqliteConnection connection, SqliteTransaction transaction, string collectionId, int dimensions, IEnumerable<string> chunkIds,
        bool includeVectors, CancellationToken cancellationToken)
    {
        var found = new Dictionary<string, (RagChunk, string)>(StringComparer.Ordinal);
        foreach (var batch in chunkIds.Distinct(StringComparer.Ordinal).Chunk(BatchSize))
        {
            var command = connection.CreateCommand();
            await using (command.ConfigureAwait(false))
            {
                command.Transaction = transaction;
                var sql = new StringBuilder("SELECT ")
                    .Append(string.Join(", ", ChunkColumns.Split(", ").Select(column => "c." + column)))
                    .Append(", d.name, c.vector FROM rag_chunks c JOIN rag_documents d ON d.id = c.document_id WHERE c.collection_id = $collection AND c.id IN (");
                for (var i = 0; i < batch.Length; i++)
                {
                    sql.Append(i == 0 ? "$k" : ", $k").Append(i);
                    command.Parameters.AddWithValue("$k" + i, batch[i]);
                }

                command.CommandText = sql.Append(')').ToString();
                command.Parameters.AddWithValue("$collection", collectionId);
                var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                await using (reader.ConfigureAwait(false))
                {
                    while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                    {
                        var chunk = ReadChunk(reader, includeVectors ? VectorOf(reader, dimensions) : (ReadOnlyMemory<float>?)null);
                        found[chunk.Id] = (chunk, reader.GetString(ChunkColumnCount));
                    }
                }
            }
        }

        return found;
    }

    private static ReadOnlyMemory<float> VectorOf(DbDataReader reader, int dimensions) =>
        VectorBlob.Decode((byte[])reader.GetValue(ChunkColumnCount + 1), dimensions);
}
