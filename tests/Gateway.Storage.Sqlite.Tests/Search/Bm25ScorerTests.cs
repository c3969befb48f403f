using Gateway.Core.Storage.Conversations;
using Gateway.Storage.Sqlite.Search;
using Microsoft.Data.Sqlite;

namespace Gateway.Storage.Sqlite.Tests.Search;

/// <summary>Scores computed here must be FTS5's bm25() (negated), so ranking the window here ranks it as FTS5 would.</summary>
public sealed class Bm25ScorerTests
{
    private static readonly string[] Corpus =
    [
        "the zebra has stripes",
        "zebra zebra zebra and more zebra stripes in the savanna today",
        "a quick brown fox jumps over the lazy dog",
        "the quick brown fox and the quick brown cat, quick brown quick brown",
        "brown and quick are not a phrase here",
        "Café au lait, café noir, CAFÉ crème",
        "cafe without the accent, and a cafeteria",
        "programming programs programmers program",
        "a long message about many things: zebras, horses, donkeys, mules, and one zebra at the very end of it all, zebra",
        "stripes stripes stripes",
        "nothing relevant at all",
        "quick",
    ];

    [Theory]
    [InlineData("zebra")]
    [InlineData("zebra stripes")]
    [InlineData("\"quick brown\"")]
    [InlineData("\"quick brown\" fox")]
    [InlineData("quick -fox")]
    [InlineData("café")]
    [InlineData("progr*")]
    [InlineData("caf*")]
    [InlineData("stripes")]
    public async Task Score_SmallCorpus_EqualsFts5Bm25AndOrdersTheSame(string text)
    {
        await using var connection = new SqliteConnection("Data Source=:memory:");
        await connection.OpenAsync();
        await ExecuteAsync(connection, "CREATE VIRTUAL TABLE t USING fts5 (content)");
        for (var i = 0; i < Corpus.Length; i++)
        {
            await ExecuteAsync(connection, "INSERT INTO t (rowid, content) VALUES ($row, $text)", ("$row", i + 1), ("$text", Corpus[i]));
        }

        var expression = SearchQuerySyntax.Parse(text);
        var (rowCount, totalTokens) = SqliteMessageSearch.DecodeAverages(await BlockAsync(connection));
        var phrases = new List<Bm25Phrase>();
        foreach (var term in expression.Required)
        {
            var frequency = await CountAsync(connection, Fts5QueryRenderer.RenderTerm(term));
            phrases.Add(new Bm25Phrase(Fts5Tokenizer.Tokenize(term.Text), term.IsPrefix, frequency));
        }

        var scorer = new Bm25Scorer(phrases, rowCount, (double)totalTokens / rowCount);
        var fts5 = new List<(long Row, double Score)>();
        await using (var command = connection.CreateCommand())
        {
            command.CommandText = "SELECT rowid, bm25(t) FROM t WHERE t MATCH $match ORDER BY bm25(t), rowid DESC";
            command.Parameters.AddWithValue("$match", Fts5QueryRenderer.Render(expression));
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                fts5.Add((reader.GetInt64(0), -reader.GetDouble(1)));
            }
        }

        Assert.NotEmpty(fts5);
        Assert.Equal(Corpus.Length, rowCount);
        var ours = fts5.Select(hit => (hit.Row, Score: scorer.Score(Corpus[hit.Row - 1]))).ToList();
        foreach (var ((row, expected), (_, actual)) in fts5.Zip(ours))
        {
            Assert.True(Math.Abs(expected - actual) <= 1e-9 * Math.Max(1, Math.Abs(expected)), $"row {row}: bm25 {expected}, here {actual}");
        }

        Assert.Equal(fts5.Select(h => h.Row), ours.OrderByDescending(h => h.Score).ThenByDescending(h => h.Row).Select(h => h.Row));
    }

    [Fact]
    public void Score_NoPhraseInText_IsZero()
    {
        var scorer = new Bm25Scorer([new Bm25Phrase(["zebra"], false, 3)], 10, 5);

        Assert.Equal(0, scorer.Score("no stripes here"));
    }

    [Fact]
    public void Score_ManyDistinctQueryTokens_CountsThePhraseAcrossMaskWords()
    {
        // More than 64 distinct query tokens: each position's match set spans several words.
        var words = Enumerable.Range(0, 70).Select(i => "w" + i).ToArray();
        var scorer = new Bm25Scorer([new Bm25Phrase(words, false, 1), new Bm25Phrase(["w69"], false, 1)], 100, 70);

        var text = string.Join(' ', words);

        // Both phrases once, in a text of average length: each adds exactly its IDF.
        Assert.Equal(2 * Bm25Scorer.Idf(100, 1), scorer.Score(text), 9);
    }

    [Theory]
    [InlineData(1000, 10, 4.547)]
    [InlineData(1000, 500, 1e-6)]
    [InlineData(1000, 999, 1e-6)]
    public void Idf_AsFts5_FlooredAtAMillionth(long rows, long frequency, double expected) =>
        Assert.Equal(expected, Bm25Scorer.Idf(rows, frequency), 3);

    [Fact]
    public void DecodeAverages_MultiByteVarints_ReadsRowsAndTokens()
    {
        // 1,000,000 = 0xBD 0x84 0x40; 81,234,567 = 0xA6 0xDE 0x95 0x07.
        var (rows, tokens) = SqliteMessageSearch.DecodeAverages([0xBD, 0x84, 0x40, 0xA6, 0xDE, 0x95, 0x07]);

        Assert.Equal(1_000_000, rows);
        Assert.Equal(81_234_567, tokens);
    }

    private static async Task<byte[]> BlockAsync(SqliteConnection connection)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT block FROM t_data WHERE id = 1";
        return (byte[])(await command.ExecuteScalarAsync())!;
    }

    private static async Task<long> CountAsync(SqliteConnection connection, string match)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT count(*) FROM t WHERE t MATCH $match";
        command.Parameters.AddWithValue("$match", match);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    private static async Task ExecuteAsync(SqliteConnection connection, string sql, params (string Name, object Value)[] parameters)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        await command.ExecuteNonQueryAsync();
    }
}
