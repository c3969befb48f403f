using System.Data.Common;
using Gateway.Core.Storage.Conversations;

namespace Gateway.Storage.Relational;

/// <summary>
/// Reads the rows of a page of search hits, keyed by their <c>seq</c> so each engine can put them back
/// in score order. The command selects <c>seq, id, conversation_id, role, created_at</c> and, where the
/// engine cuts the snippet in SQL, the snippet after them.
/// </summary>
internal static class SearchHitRows
{
    /// <summary>Runs <paramref name="command"/> and reads every hit; the score is left for the caller to set.</summary>
    public static async Task<Dictionary<long, MessageSearchHit>> ReadBySeqAsync(
        DbCommand command, int count, StoredRows.TimeReader readTime, Func<DbDataReader, string> readSnippet, CancellationToken cancellationToken)
    {
        var rows = new Dictionary<long, MessageSearchHit>(count);
        var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await using (reader.ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                rows[reader.GetInt64(0)] = new MessageSearchHit(
                    ConversationId: reader.GetString(2),
                    MessageId: reader.GetString(1),
                    Role: reader.GetString(3),
                    Snippet: readSnippet(reader),
                    Score: 0,
                    CreatedAt: readTime(reader, 4));
            }
        }

        return rows;
    }
}
