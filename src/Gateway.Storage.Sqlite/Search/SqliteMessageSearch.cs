using System.Text;
using Gateway.Core.Errors;
using Gateway.Core.Storage.Conversations;
using Gateway.Storage.Relational;
using Gateway.Storage.Sqlite.Conversations;
using Microsoft.Data.Sqlite;

namespace Gateway.Storage.Sqlite.Search;

/// <summary>
/// Full-text search over the FTS5 index of messages. Ranking every match costs time in proportion to
/// how many messages match (about a second for a word in half of a million messages), so only the
/// newest <see cref="CandidateLimit"/> matches are ranked: FTS5 walks its index newest first and stops
/// there, and the results say when older matches were left out
/// (<see cref="MessageSearchResults.CandidatesTruncated"/>). The window is scored here, with BM25 over
/// the candidates' text (<see cref="Bm25Scorer"/>, FTS5's formula and tokenizer) and per-term
/// document frequencies cached for minutes: FTS5's own <c>bm25()</c> would count every row holding
/// each term on every query, whatever the cap. Snippets are cut for the returned page only, from the
/// text already read, as FTS5's <c>snippet()</c> would cut them. A cursor
/// pins the window (its newest seq and the offset into its ranking), so later pages neither repeat nor
/// skip hits while new messages arrive. See ADR 0008.
/// </summary>
public sealed class SqliteMessageSearch : IMessageSearch
{
    /// <summary>How many of the newest matches are ranked when no other limit is configured.</summary>
    /// <remarks>500: at 1,000 a two-term AND read and tokenised enough scattered texts to miss its 10 ms p95 target (ADR 0008).</remarks>
    public const int DefaultCandidateLimit = 500;

    // Snippets of 12 tokens around the best-matching part: enough context for a result list line.
    private const int SnippetTokens = 12;

    /// <summary>How long a term's document frequency is reused before it is counted again.</summary>
    public static readonly TimeSpan DocumentFrequencyLifetime = TimeSpan.FromMinutes(5);

    // A term's document frequency is counted exactly up to this many rows, and estimated beyond from
    // how far back the newest this-many reach: a cold lookup costs a bounded walk (≈ 1 ms for a word,
    // ≈ 15 ms for a phrase of two very common words) instead of one over every match.
    internal const int DocumentFrequencySample = 5_000;

    private const string NewestSeqSql = "SELECT coalesce(max(seq), 0) FROM messages";

    // FTS5's averages record (rowid 1 of its data table): varints of the row count, then the total
    // tokens per column. It is what bm25() reads for N and the average length; one row, no walk.
    private const string AveragesSql = "SELECT block FROM messages_fts_data WHERE id = 1";

    private const string DocumentFrequencySql = """
        SELECT count(*), min(rowid) FROM (
            SELECT rowid FROM messages_fts WHERE messages_fts MATCH $term ORDER BY rowid DESC LIMIT $sample)
        """;

    private const string ConversationRangeSql = """
        SELECT (SELECT min(seq) FROM messages WHERE conversation_id = $conversation),
               (SELECT max(seq) FROM messages WHERE conversation_id = $conversation)
        """;

    // FTS5 consumes ORDER BY rowid DESC itself and stops after LIMIT rows; each candidate's text comes
    // by its primary key. CROSS JOIN keeps the index as the outer loop: the scope filters follow it.
    private const string CandidatesSql = """
        SELECT messages_fts.rowid, messages.content FROM messages_fts
        CROSS JOIN messages ON messages.seq = messages_fts.rowid
        WHERE messages_fts MATCH $match AND messages_fts.rowid BETWEEN $low AND $high
        ORDER BY messages_fts.rowid DESC LIMIT $take
        """;

    private const string ConversationCandidatesSql = """
        SELECT messages_fts.rowid, messages.content FROM messages_fts
        CROSS JOIN messages ON messages.seq = messages_fts.rowid
        WHERE messages_fts MATCH $match AND messages_fts.rowid BETWEEN $low AND $high
          AND messages.conversation_id = $conversation
        ORDER BY messages_fts.rowid DESC LIMIT $take
        """;

    private const string SpaceCandidatesSql = """
        SELECT messages_fts.rowid, messages.content FROM messages_fts
        CROSS JOIN messages ON messages.seq = messages_fts.rowid
        CROSS JOIN conversations ON conversations.id = messages.conversation_id
        WHERE messages_fts MATCH $match AND messages_fts.rowid BETWEEN $low AND $high
          AND conversations.space_id = $space
        ORDER BY messages_fts.rowid DESC LIMIT $take
        """;

    private const string PageSqlStart = """
        SELECT seq, id, conversation_id, role, created_at FROM messages WHERE seq IN (
        """;

    private readonly SqliteDatabase _database;
    private readonly SqliteSearchIndexer _indexer;
    private readonly DocumentFrequencyCache _frequencies;

    /// <summary>Searches <paramref name="database"/>.</summary>
    /// <param name="database">The migrated database.</param>
    /// <param name="indexer">The indexer that catches up after imports (it counts what is not indexed yet); one over <paramref name="database"/> when absent.</param>
    /// <param name="candidateLimit">How many of the newest matches are ranked by relevance; more ranks older matches too and costs time in proportion.</param>
    /// <param name="timeProvider">The clock that ages cached document frequencies; the system clock when absent.</param>
    public SqliteMessageSearch(
        SqliteDatabase database, SqliteSearchIndexer? indexer = null, int candidateLimit = DefaultCandidateLimit, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(database);
        ArgumentOutOfRangeException.ThrowIfLessThan(candidateLimit, 1);
        _database = database;
        _indexer = indexer ?? new SqliteSearchIndexer(database);
        _frequencies = new DocumentFrequencyCache(timeProvider ?? TimeProvider.System, DocumentFrequencyLifetime);
        CandidateLimit = candidateLimit;
    }

    /// <summary>How many of the newest matches are ranked by relevance.</summary>
    public int CandidateLimit { get; }

    /// <inheritdoc />
    public Task<MessageSearchResults> SearchAsync(MessageSearchQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        ConversationStoreRules.CheckLimit(query.Limit);

        var expression = SearchQuerySyntax.Parse(query.Text);
        var match = Fts5QueryRenderer.Render(expression);
        var fingerprint = SearchCursor.FingerprintOf(match, query.ConversationId, query.SpaceId);
        var cursor = query.Cursor is null ? (SearchCursor?)null : SearchCursor.Decode(query.Cursor, fingerprint, CandidateLimit);
        return _database.ReadAsync(
            (connection, token) => SearchCoreAsync(connection, query, expression, match, fingerprint, cursor, token), cancellationToken);
    }

    private async Task<MessageSearchResults> SearchCoreAsync(
        SqliteConnection connection, MessageSearchQuery query, SearchExpression expression, string match, string fingerprint,
        SearchCursor? cursor, CancellationToken cancellationToken)
    {
        // One read transaction: the backlog, the window and the page's rows are one snapshot.
        var transaction = connection.BeginTransaction(deferred: true);
        await using (transaction.ConfigureAwait(false))
        {
            var pending = await _indexer.PendingAsync(connection, transaction, cancellationToken).ConfigureAwait(false);
            var high = cursor?.Pin ?? (long)(await ScalarAsync(transaction, NewestSeqSql, cancellationToken).ConfigureAwait(false) ?? 0L);
            var low = 0L;
            if (query.ConversationId is not null)
            {
                // A conversation's messages lie in a narrow band of seqs; FTS5 seeks straight to it.
                var range = await ConversationRangeAsync(transaction, query.ConversationId, cancellationToken).ConfigureAwait(false);
                if (range is null)
                {
                    return new MessageSearchResults([], null, CandidateLimit, false, pending);
                }

                (low, high) = (range.Value.Low, Math.Min(high, range.Value.High));
            }

            var texts = await CandidatesAsync(transaction, query, match, low, high, cancellationToken).ConfigureAwait(false);
            var truncated = texts.Count > CandidateLimit;
            if (truncated)
            {
                texts.RemoveAt(texts.Count - 1);
            }

            if (texts.Count == 0)
            {
                return new MessageSearchResults([], null, CandidateLimit, truncated, pending);
            }

            var scorer = await ScorerAsync(transaction, expression, high, cancellationToken).ConfigureAwait(false);
            var candidates = new List<Candidate>(texts.Count);
            foreach (var (seq, content) in texts)
            {
                candidates.Add(new Candidate(seq, scorer.Score(content), content));
            }

            // Best first; among equal scores the newer message first, so the order is total and stable.
            candidates.Sort(static (a, b) => a.Score != b.Score ? b.Score.CompareTo(a.Score) : b.Seq.CompareTo(a.Seq));
            var offset = cursor?.Offset ?? 0;
            var page = candidates.Skip(offset).Take(query.Limit).ToList();
            var hits = await PageAsync(transaction, scorer, page, cancellationToken).ConfigureAwait(false);
            var next = offset + query.Limit < candidates.Count
                ? new SearchCursor(high, offset + query.Limit, fingerprint).Encode()
                : null;
            return new MessageSearchResults(hits, next, CandidateLimit, truncated, pending);
        }
    }

    private static async Task<(long Low, long High)?> ConversationRangeAsync(
        SqliteTransaction transaction, string conversationId, CancellationToken cancellationToken)
    {
        var command = CreateCommand(transaction);
        await using (command.ConfigureAwait(false))
        {
            command.CommandText = ConversationRangeSql;
            command.Parameters.AddWithValue("$conversation", conversationId);
            var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                return await reader.ReadAsync(cancellationToken).ConfigureAwait(false) && !reader.IsDBNull(0)
                    ? (reader.GetInt64(0), reader.GetInt64(1))
                    : null;
            }
        }
    }

    private async Task<List<(long Seq, string Content)>> CandidatesAsync(
        SqliteTransaction transaction, MessageSearchQuery query, string match, long low, long high, CancellationToken cancellationToken)
    {
        var command = CreateCommand(transaction);
        await using (command.ConfigureAwait(false))
        {
            command.CommandText = query.ConversationId is not null ? ConversationCandidatesSql
                : query.SpaceId is not null ? SpaceCandidatesSql
                : CandidatesSql;
            command.Parameters.AddWithValue("$match", match);
            command.Parameters.AddWithValue("$low", low);
            command.Parameters.AddWithValue("$high", high);
            command.Parameters.AddWithValue("$take", CandidateLimit + 1);
            if (query.ConversationId is not null)
            {
                command.Parameters.AddWithValue("$conversation", query.ConversationId);
            }
            else if (query.SpaceId is not null)
            {
                command.Parameters.AddWithValue("$space", query.SpaceId);
            }

            var candidates = new List<(long Seq, string Content)>(Math.Min(CandidateLimit + 1, 256));
            var reader = await ExecuteMatchAsync(command, cancellationToken).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    candidates.Add((reader.GetInt64(0), reader.GetString(1)));
                }
            }

            if (query.ConversationId is not null && query.SpaceId is not null && candidates.Count > 0)
            {
                // Both scopes: the conversation decides the candidates; the space only has to agree.
                var inSpace = await ConversationInSpaceAsync(transaction, query.ConversationId, query.SpaceId, cancellationToken).ConfigureAwait(false);
                if (!inSpace)
                {
                    candidates.Clear();
                }
            }

            return candidates;
        }
    }

    private static async Task<bool> ConversationInSpaceAsync(SqliteTransaction transaction, string conversationId, string spaceId, CancellationToken cancellationToken)
    {
        var command = CreateCommand(transaction);
        await using (command.ConfigureAwait(false))
        {
            command.CommandText = "SELECT 1 FROM conversations WHERE id = $conversation AND space_id = $space";
            command.Parameters.AddWithValue("$conversation", conversationId);
            command.Parameters.AddWithValue("$space", spaceId);
            return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is not null;
        }
    }

    private static async Task<IReadOnlyList<MessageSearchHit>> PageAsync(
        SqliteTransaction transaction, Bm25Scorer scorer, List<Candidate> page, CancellationToken cancellationToken)
    {
        if (page.Count == 0)
        {
            return [];
        }

        var command = CreateCommand(transaction);
        await using (command.ConfigureAwait(false))
        {
            var sql = new StringBuilder(PageSqlStart);
            for (var i = 0; i < page.Count; i++)
            {
                sql.Append(i == 0 ? "$s" : ", $s").Append(i);
                command.Parameters.AddWithValue("$s" + i, page[i].Seq);
            }

            command.CommandText = sql.Append(')').ToString();
            var rows = await SearchHitRows.ReadBySeqAsync(command, page.Count, ConversationRows.ReadTime, static _ => string.Empty, cancellationToken)
                .ConfigureAwait(false);

            // The text was read with the candidates in this transaction: the snippet is cut from it
            // with the same tokens and occurrences that scored it, with no second pass through FTS5.
            var hits = new List<MessageSearchHit>(page.Count);
            foreach (var candidate in page)
            {
                if (rows.TryGetValue(candidate.Seq, out var hit))
                {
                    hits.Add(hit with { Snippet = scorer.Snippet(candidate.Content, SnippetTokens), Score = candidate.Score });
                }
            }

            return hits;
        }
    }

    private static async Task<SqliteDataReader> ExecuteMatchAsync(SqliteCommand command, CancellationToken cancellationToken)
    {
        try
        {
            return await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (SqliteException error) when (IsQuerySyntaxError(error))
        {
            // Every term is quoted, so FTS5 should never reject a rendered query; if one slips through,
            // it is still the user's text that FTS5 refused: a 400, not a 500.
            throw new GatewayException(
                GatewayErrorKind.InvalidRequest, GatewayErrorCodes.InvalidSearchQuery,
                "q: the search engine could not read this query; search for plain words.",
                new Dictionary<string, object?> { ["field"] = "q" }, error);
        }
    }

    private static bool IsQuerySyntaxError(SqliteException error) =>
        error.SqliteErrorCode == 1 && error.Message.Contains("fts5", StringComparison.OrdinalIgnoreCase);

    private static async Task<object?> ScalarAsync(SqliteTransaction transaction, string sql, CancellationToken cancellationToken)
    {
        var command = CreateCommand(transaction);
        await using (command.ConfigureAwait(false))
        {
            command.CommandText = sql;
            return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private static SqliteCommand CreateCommand(SqliteTransaction transaction)
    {
        var command = transaction.Connection!.CreateCommand();
        command.Transaction = transaction;
        return command;
    }

    /// <summary>
    /// A scorer for the required terms of <paramref name="expression"/> (exclusions match nothing in a
    /// hit, so they add nothing), with the index's row count and average length as of this snapshot and
    /// each term's document frequency from the cache or counted now.
    /// </summary>
    private async Task<Bm25Scorer> ScorerAsync(
        SqliteTransaction transaction, SearchExpression expression, long newestSeq, CancellationToken cancellationToken)
    {
        var (rowCount, totalTokens) = await IndexTotalsAsync(transaction, cancellationToken).ConfigureAwait(false);
        var phrases = new List<Bm25Phrase>(expression.Required.Count);
        foreach (var term in expression.Required)
        {
            var key = Fts5QueryRenderer.RenderTerm(term);
            if (!_frequencies.TryGet(key, rowCount, out var frequency))
            {
                frequency = await DocumentFrequencyAsync(transaction, key, rowCount, newestSeq, cancellationToken).ConfigureAwait(false);
                _frequencies.Set(key, rowCount, frequency);
            }

            phrases.Add(new Bm25Phrase(Fts5Tokenizer.Tokenize(term.Text), term.IsPrefix, frequency));
        }

        return new Bm25Scorer(phrases, rowCount, rowCount == 0 ? 0 : (double)totalTokens / rowCount);
    }

    private static async Task<(long RowCount, long TotalTokens)> IndexTotalsAsync(SqliteTransaction transaction, CancellationToken cancellationToken)
    {
        var block = await ScalarAsync(transaction, AveragesSql, cancellationToken).ConfigureAwait(false) as byte[];
        return block is null ? (0, 0) : DecodeAverages(block);
    }

    /// <summary>Reads FTS5's averages record: a varint row count, then one varint of total tokens per column (one column here).</summary>
    internal static (long RowCount, long TotalTokens) DecodeAverages(ReadOnlySpan<byte> block)
    {
        var offset = 0;
        var rowCount = ReadVarint(block, ref offset);
        var totalTokens = 0L;
        while (offset < block.Length)
        {
            totalTokens += ReadVarint(block, ref offset);
        }

        return (rowCount, totalTokens);
    }

    // SQLite's varint: big-endian groups of 7 bits, high bit set on all but the last; a ninth byte
    // carries 8 bits.
    private static long ReadVarint(ReadOnlySpan<byte> block, ref int offset)
    {
        ulong value = 0;
        for (var i = 0; i < 9 && offset < block.Length; i++)
        {
            var b = block[offset++];
            if (i == 8)
            {
                return (long)((value << 8) | b);
            }

            value = (value << 7) | (uint)(b & 0x7F);
            if ((b & 0x80) == 0)
            {
                break;
            }
        }

        return (long)value;
    }

    /// <summary>
    /// In how many indexed rows <paramref name="term"/> occurs: counted when at most
    /// <see cref="DocumentFrequencySample"/> do; otherwise estimated from the share of seqs that the newest
    /// sample spans (seqs are dense, so the span stands for the rows in it).
    /// </summary>
    private static async Task<long> DocumentFrequencyAsync(
        SqliteTransaction transaction, string term, long rowCount, long newestSeq, CancellationToken cancellationToken)
    {
        var command = CreateCommand(transaction);
        await using (command.ConfigureAwait(false))
        {
            command.CommandText = DocumentFrequencySql;
            command.Parameters.AddWithValue("$term", term);
            command.Parameters.AddWithValue("$sample", DocumentFrequencySample);
            var reader = await ExecuteMatchAsync(command, cancellationToken).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false) || reader.IsDBNull(1))
                {
                    return 0;
                }

                var count = reader.GetInt64(0);
                if (count < DocumentFrequencySample)
                {
                    return count;
                }

                var spanned = Math.Max(1, newestSeq - reader.GetInt64(1) + 1);
                var estimate = (long)Math.Round((double)count * Math.Max(newestSeq, 1) / spanned);
                return Math.Clamp(estimate, count, Math.Max(count, rowCount));
            }
        }
    }

    private readonly record struct Candidate(long Seq, double Score, string Content);
}
