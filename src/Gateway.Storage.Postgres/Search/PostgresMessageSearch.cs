using System.Data;
using System.Text;
using Gateway.Core.Storage.Conversations;
using Gateway.Storage.Postgres.Conversations;
using Gateway.Storage.Relational;
using Npgsql;

namespace Gateway.Storage.Postgres.Search;

/// <summary>
/// Full-text search over the generated <c>tsvector</c> column of messages and its GIN index, with the
/// same API, syntax and response shape as SQLite's. The GIN index finds the matches; of those, only the
/// newest <see cref="CandidateLimit"/> are ranked (with <c>ts_rank_cd</c>, cover density, normalised by
/// the log of the message length), and the results say when older matches were left out. Snippets
/// (<c>ts_headline</c>) are made for the returned page only. A cursor pins the window (its newest seq
/// and the offset into its ranking), so later pages neither repeat nor skip hits while new messages
/// arrive. Imported messages are indexed as they are written: nothing is ever pending.
/// </summary>
public sealed class PostgresMessageSearch : IMessageSearch
{
    /// <summary>How many of the newest matches are ranked when no other limit is configured.</summary>
    public const int DefaultCandidateLimit = 1_000;

    // Control characters mark matches inside ts_headline(): the text is HTML-escaped afterwards, and only
    // these become <mark> tags. '<', '>' and '&' are swapped for private-use characters before the
    // headline is made, because PostgreSQL's parser reads "<…>" as an HTML tag and drops it from headlines.
    private const char OpenMark = '\u0002';
    private const char CloseMark = '\u0003';
    private const string Escaped = "<>&";
    private const string Stand = "\uE000\uE001\uE002";

    // About 20 words around the best cover of the query: a result-list line, like SQLite's 12-token snippets.
    private const string HeadlineOptions = "StartSel=\u0002, StopSel=\u0003, MaxWords=20, MinWords=10, ShortWord=0, HighlightAll=false";

    private readonly PostgresDatabase _database;

    /// <summary>Searches <paramref name="database"/>.</summary>
    /// <param name="database">The migrated database.</param>
    /// <param name="candidateLimit">How many of the newest matches are ranked by relevance; more ranks older matches too and costs time in proportion.</param>
    public PostgresMessageSearch(PostgresDatabase database, int candidateLimit = DefaultCandidateLimit)
    {
        ArgumentNullException.ThrowIfNull(database);
        ArgumentOutOfRangeException.ThrowIfLessThan(candidateLimit, 1);
        _database = database;
        CandidateLimit = candidateLimit;
    }

    /// <summary>How many of the newest matches are ranked by relevance.</summary>
    public int CandidateLimit { get; }

    /// <inheritdoc />
    public Task<MessageSearchResults> SearchAsync(MessageSearchQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        ConversationStoreRules.CheckLimit(query.Limit);

        var rendered = TsQueryRenderer.Render(SearchQuerySyntax.Parse(query.Text));
        var fingerprint = SearchCursor.FingerprintOf($"{rendered.Web}\u0001{rendered.Prefix}", query.ConversationId, query.SpaceId);
        var cursor = query.Cursor is null ? (SearchCursor?)null : SearchCursor.Decode(query.Cursor, fingerprint, CandidateLimit);
        return _database.ReadAsync((connection, token) => SearchCoreAsync(connection, query, rendered, fingerprint, cursor, token), cancellationToken);
    }

    private async Task<MessageSearchResults> SearchCoreAsync(
        NpgsqlConnection connection, MessageSearchQuery query, (string Sql, string? Web, string? Prefix) tsquery, string fingerprint, SearchCursor? cursor,
        CancellationToken cancellationToken)
    {
        // One snapshot: the window and the page's rows agree.
        var transaction = await connection.BeginTransactionAsync(IsolationLevel.RepeatableRead, cancellationToken).ConfigureAwait(false);
        await using (transaction.ConfigureAwait(false))
        {
            long high;
            if (cursor is { } pinned)
            {
                high = pinned.Pin;
            }
            else
            {
                var command = new NpgsqlCommand("SELECT coalesce(max(seq), 0) FROM messages", connection, transaction);
                await using (command.ConfigureAwait(false))
                {
                    high = (long)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
                }
            }

            var candidates = await CandidatesAsync(connection, transaction, query, tsquery, high, cancellationToken).ConfigureAwait(false);
            var truncated = candidates.Count > CandidateLimit;
            if (truncated)
            {
                candidates.RemoveAt(candidates.Count - 1);
            }

            // Best first; among equal scores the newer message first, so the order is total and stable.
            candidates.Sort(static (a, b) => a.Rank != b.Rank ? b.Rank.CompareTo(a.Rank) : b.Seq.CompareTo(a.Seq));
            var offset = cursor?.Offset ?? 0;
            var page = candidates.Skip(offset).Take(query.Limit).ToList();
            var hits = await PageAsync(connection, transaction, tsquery, page, cancellationToken).ConfigureAwait(false);
            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            var next = offset + query.Limit < candidates.Count
                ? new SearchCursor(high, offset + query.Limit, fingerprint).Encode()
                : null;
            return new MessageSearchResults(hits, next, CandidateLimit, truncated, PendingIndexMessages: 0);
        }
    }

    private async Task<List<Candidate>> CandidatesAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, MessageSearchQuery query, (string Sql, string? Web, string? Prefix) tsquery, long high,
        CancellationToken cancellationToken)
    {
        // The inner query takes the newest matches from the GIN index; only those are ranked.
        var sql = new StringBuilder($"SELECT m.seq, ts_rank_cd(m.search, {tsquery.Sql}, 1) FROM (SELECT seq FROM messages WHERE search @@ {tsquery.Sql} AND seq <= @high");
        var command = new NpgsqlCommand { Connection = connection, Transaction = transaction };
        await using (command.ConfigureAwait(false))
        {
            if (query.ConversationId is not null)
            {
                sql.Append(" AND conversation_id = @conversation");
                command.Parameters.AddWithValue("conversation", query.ConversationId);
            }

            if (query.SpaceId is not null)
            {
                // With both scopes, the conversation decides the candidates and the space only has to agree.
                sql.Append(" AND conversation_id IN (SELECT id FROM conversations WHERE space_id = @space)");
                command.Parameters.AddWithValue("space", query.SpaceId);
            }

            command.CommandText = sql.Append(" ORDER BY seq DESC LIMIT @take) c JOIN messages m ON m.seq = c.seq").ToString();
            AddQueryParameters(command.Parameters, tsquery);
            command.Parameters.AddWithValue("high", high);
            command.Parameters.AddWithValue("take", CandidateLimit + 1);
            var candidates = new List<Candidate>(Math.Min(CandidateLimit + 1, 256));
            var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    candidates.Add(new Candidate(reader.GetInt64(0), reader.GetFloat(1)));
                }
            }

            return candidates;
        }
    }

    private static async Task<IReadOnlyList<MessageSearchHit>> PageAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, (string Sql, string? Web, string? Prefix) tsquery, List<Candidate> page,
        CancellationToken cancellationToken)
    {
        if (page.Count == 0)
        {
            return [];
        }

        var command = new NpgsqlCommand(
            $"""
            SELECT seq, id, conversation_id, role, created_at,
                   ts_headline('gateway_search', translate(left(content, 262144), @escaped, @stand), {tsquery.Sql}, @options)
            FROM messages WHERE seq = ANY(@seqs)
            """,
            connection,
            transaction);
        await using (command.ConfigureAwait(false))
        {
            AddQueryParameters(command.Parameters, tsquery);
            command.Parameters.AddWithValue("escaped", Escaped);
            command.Parameters.AddWithValue("stand", Stand);
            command.Parameters.AddWithValue("options", HeadlineOptions);
            command.Parameters.AddWithValue("seqs", page.Select(c => c.Seq).ToArray());
            var rows = await SearchHitRows.ReadBySeqAsync(
                command, page.Count, PostgresRows.ReadTime, static reader => MarkSnippet(reader.IsDBNull(5) ? string.Empty : reader.GetString(5)), cancellationToken)
                .ConfigureAwait(false);

            var hits = new List<MessageSearchHit>(page.Count);
            foreach (var candidate in page)
            {
                if (rows.TryGetValue(candidate.Seq, out var hit))
                {
                    hits.Add(hit with { Score = candidate.Rank });
                }
            }

            return hits;
        }
    }

    /// <summary>HTML-escapes the headline's text and turns the match markers into <c>&lt;mark&gt;</c> tags.</summary>
    internal static string MarkSnippet(string snippet)
    {
        var builder = new StringBuilder(snippet.Length + 32);
        foreach (var c in snippet)
        {
            _ = c switch
            {
                OpenMark => builder.Append(MessageSearchResults.MatchStart),
                CloseMark => builder.Append(MessageSearchResults.MatchEnd),
                '\uE000' or '<' => builder.Append("&lt;"),
                '\uE001' or '>' => builder.Append("&gt;"),
                '\uE002' or '&' => builder.Append("&amp;"),
                '"' => builder.Append("&quot;"),
                '\'' => builder.Append("&#39;"),
                _ => builder.Append(c),
            };
        }

        return builder.ToString();
    }

    private static void AddQueryParameters(NpgsqlParameterCollection parameters, (string Sql, string? Web, string? Prefix) tsquery)
    {
        if (tsquery.Web is not null)
        {
            parameters.AddWithValue("web", tsquery.Web);
        }

        if (tsquery.Prefix is not null)
        {
            parameters.AddWithValue("prefix", tsquery.Prefix);
        }
    }

    private readonly record struct Candidate(long Seq, double Rank);
}
