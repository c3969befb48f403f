using System.Text;
using Gateway.Core.Storage.Conversations;
using Gateway.Storage.Sqlite.Search;
using Microsoft.Data.Sqlite;

namespace Gateway.Storage.Sqlite.Tests.Search;

/// <summary>Snippets are cut here from the text already read; they must read as FTS5's snippet() would cut them.</summary>
public sealed class Bm25ScorerSnippetTests
{
    public static TheoryData<string, string> Cases() => new()
    {
        { "fox", "The quick brown Fox jumps over the lazy dog, and the fox sleeps" },
        { "zebra", "<script>alert('x')</script> <mark>fake</mark> & zebra" },
        { "\"quick brown\"", "a quick brown fox and another quick brown one" },
        { "needle", string.Join(' ', Enumerable.Range(0, 40).Select(i => "filler" + i)) + " needle " + string.Join(' ', Enumerable.Range(0, 40).Select(i => "more" + i)) },
        { "alpha omega", "alpha is first. " + string.Join(' ', Enumerable.Range(0, 30).Select(i => "w" + i)) + " then alpha and omega together, " + string.Join(' ', Enumerable.Range(0, 30).Select(i => "x" + i)) },
        { "end", string.Join(' ', Enumerable.Range(0, 30).Select(i => "w" + i)) + " the very end." },
        { "start", "start of it " + string.Join(' ', Enumerable.Range(0, 30).Select(i => "w" + i)) },
        { "caf*", "Un café, deux CAFÉS et la cafétéria — « cafard »" },
        { "zebra", "First sentence here. " + string.Join(' ', Enumerable.Range(0, 8).Select(i => "w" + i)) + ". Second: the zebra runs " + string.Join(' ', Enumerable.Range(0, 20).Select(i => "x" + i)) },
        { "\"ha ha\"", "ha ha ha, he said; ha ha" },
        { "\"one two three\"", string.Join(' ', Enumerable.Range(0, 10).Select(i => "w" + i)) + " one two three one two three " + string.Join(' ', Enumerable.Range(0, 10).Select(i => "x" + i)) },
        { "stripes zebra", "zebra " + string.Join(' ', Enumerable.Range(0, 20).Select(i => "w" + i)) + " zebra stripes zebra " + string.Join(' ', Enumerable.Range(0, 20).Select(i => "x" + i)) + " stripes" },
        { "émoji", "  \t Émoji 😀 émoji👍🏽 — «émoji» & done  " },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Snippet_Text_ReadsAsFts5Snippet(string query, string text)
    {
        await using var connection = new SqliteConnection("Data Source=:memory:");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = """
            CREATE VIRTUAL TABLE t USING fts5 (content);
            INSERT INTO t (rowid, content) VALUES (1, $text);
            SELECT snippet(t, 0, char(2), char(3), '…', 12) FROM t WHERE t MATCH $match;
            """;
        var expression = SearchQuerySyntax.Parse(query);
        command.Parameters.AddWithValue("$text", text);
        command.Parameters.AddWithValue("$match", Fts5QueryRenderer.Render(expression));
        var fts5 = Escape((string)(await command.ExecuteScalarAsync())!);
        var scorer = new Bm25Scorer([.. expression.Required.Select(t => new Bm25Phrase(Fts5Tokenizer.Tokenize(t.Text), t.IsPrefix, 1))], 10, 10);

        Assert.Equal(fts5, scorer.Snippet(text, 12));
    }

    private static string Escape(string snippet)
    {
        var builder = new StringBuilder();
        foreach (var c in snippet)
        {
            builder.Append(c switch
            {
                '\u0002' => MessageSearchResults.MatchStart,
                '\u0003' => MessageSearchResults.MatchEnd,
                '&' => "&amp;",
                '<' => "&lt;",
                '>' => "&gt;",
                '"' => "&quot;",
                '\'' => "&#39;",
                _ => c.ToString(),
            });
        }

        return builder.ToString();
    }
}
