using System.Text;
using System.Text.Json;
using Gateway.Core.Storage.Conversations;
using Gateway.Core.Storage.Rag;
using Gateway.Storage.Sqlite.Search;
using Microsoft.Data.Sqlite;
using static Gateway.Core.Storage.Conversations.ConversationStoreRules;
using static Gateway.Storage.Relational.DbCommands;

namespace Gateway.Storage.Sqlite.Rag;

/// <summary>
/// Keyword search over the FTS5 index of chunk text, ranked as message search ranks messages (ADR 0008): the
/// query in the same syntax (<see cref="SearchQuerySyntax"/>, every term quoted by <see cref="Fts5QueryRenderer"/>),
/// BM25 over the matches' text with FTS5's formula and tokenizer (<see cref="Bm25Scorer"/>), the index's
/// row count and average length, and per-term document frequencies cached for minutes. Only a window of
/// matches is ranked: FTS5 walks its index newest chunk first, and the walk stops once
/// <c>candidateLimit</c> matches in the searched collections have passed the filter, so a word in every
/// chunk costs what a word in <c>candidateLimit</c> chunks does. Below that many matches the ranking is
/// exact; ties go by chunk id.
/// </summary>
internal sealed class ChunkKeywordSearch(TimeProvider time, int candidateLimit)
{
    private const string AveragesSql = "SELECT block FROM rag_chunks_fts_data WHERE id = 1";

    private const string DocumentFrequencySql = "SELECT count(*) FROM rag_chunks_fts WHERE rag_chunks_fts MATCH $term";

    private readonly DocumentFrequencyCache _frequencies = new(time, SqliteMessageSearch.DocumentFrequencyLifetime);

    /// <summary>The best <c>k</c> matches among <paramref name="collectionIds"/> (which exist), read in <paramref name="transaction"/>.</summary>
    public async Task<IReadOnlyList<ChunkSearchHit>> SearchAsync(
        SqliteConnection connection, SqliteTransaction transaction, IReadOnlyList<string> collectionIds, KeywordSearchRequest request,
        CancellationToken cancellationToken)
    {
        var expression = SearchQuerySyntax.Parse(request.Query);
        var candidates = await CandidatesAsync(
            connection, transaction, collectionIds, Fts5QueryRenderer.Render(expression), request.Filter, candidateLimit, cancellationToken).ConfigureAwait(false);
        if (candidates.Count == 0)
        {
            return [];
        }

        var scorer = await ScorerAsync(connection, transaction, expression, cancellationToken).ConfigureAwait(false);
        var scored = candidates.Select(candidate => new ChunkSearchHit(candidate.Chunk, candidate.DocumentName, scorer.Score(candidate.Chunk.Text))).ToList();
        scored.Sort(static (a, b) => a.Score != b.Score ? b.Score.CompareTo(a.Score) : string.CompareOrdinal(a.Chunk.Id, b.Chunk.Id));
        return scored.Count > request.K ? scored.GetRange(0, request.K) : scored;
    }

    private static async Task<List<(RagChunk Chunk, string DocumentName)>> CandidatesAsync(
        SqliteConnection connection, SqliteTransaction transaction, IReadOnlyList<string> collectionIds, string match, MetadataFilter? filter,
        int limit, CancellationToken cancellationToken)
    {
        var command = connection.CreateCommand();
        await using (command.ConfigureAwait(false))
        {
            command.Transaction = transaction;
            // FTS5 consumes ORDER BY rowid DESC itself and yields matches newest first; CROSS JOIN keeps it the
            // outer loop, so the statement walks no further than the rows read here.
            var sql = new StringBuilder("SELECT ")
                .Append(string.Join(", ", Relational.RagRows.ChunkColumns.Split(", ").Select(column => "c." + column)))
                .Append("""
                    , d.name FROM rag_chunks_fts
                    CROSS JOIN rag_chunks c ON c.seq = rag_chunks_fts.rowid
                    CROSS JOIN rag_documents d ON d.id = c.document_id
                    WHERE rag_chunks_fts MATCH $match AND c.collection_id IN (
                    """);
            for (var i = 0; i < collectionIds.Count; i++)
            {
                sql.Append(i == 0 ? "$c" : ", $c").Append(i);
                command.Parameters.AddWithValue("$c" + i, collectionIds[i]);
            }

            command.CommandText = sql.Append(") ORDER BY rag_chunks_fts.rowid DESC").ToString();
            command.Parameters.AddWithValue("$match", match);
            var parsed = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
            var candidates = new List<(RagChunk, string)>();
            var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                while (candidates.Count < limit && await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    if (filter is not null)
                    {
                        var text = reader.GetString(9);
                        if (!parsed.TryGetValue(text, out var metadata))
                        {
                            metadata = ParseMetadata(text);
                            parsed[text] = metadata;
                        }

                        if (!MetadataFilterEvaluator.Matches(filter, metadata, reader.GetString(2)))
                        {
                            continue;
                        }
                    }

                    candidates.Add((Relational.RagRows.ReadChunk(reader), reader.GetString(Relational.RagRows.ChunkColumnCount)));
                }
            }

            return candidates;
        }
    }

    private async Task<Bm25Scorer> ScorerAsync(
        SqliteConnection connection, SqliteTransaction transaction, SearchExpression expression, CancellationToken cancellationToken)
    {
        var block = await ScalarAsync(connection, transaction, AveragesSql, cancellationToken).ConfigureAwait(false) as byte[];
        var (rowCount, totalTokens) = block is null ? (0L, 0L) : SqliteMessageSearch.DecodeAverages(block);
        var phrases = new List<Bm25Phrase>(expression.Required.Count);
        foreach (var term in expression.Required)
        {
            var key = Fts5QueryRenderer.RenderTerm(term);
            if (!_frequencies.TryGet(key, rowCount, out var frequency))
            {
                frequency = await ScalarAsync(connection, transaction, DocumentFrequencySql, cancellationToken, ("$term", key)).ConfigureAwait(false) as long? ?? 0;
                _frequencies.Set(key, rowCount, frequency);
            }

            phrases.Add(new Bm25Phrase(Fts5Tokenizer.Tokenize(term.Text), term.IsPrefix, frequency));
        }

        return new Bm25Scorer(phrases, rowCount, rowCount == 0 ? 0 : (double)totalTokens / rowCount);
    }
}
