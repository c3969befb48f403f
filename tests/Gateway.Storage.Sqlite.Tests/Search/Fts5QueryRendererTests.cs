using Gateway.Core.Storage.Conversations;
using Gateway.Storage.Sqlite.Search;
using Microsoft.Data.Sqlite;

namespace Gateway.Storage.Sqlite.Tests.Search;

public sealed class Fts5QueryRendererTests
{
    [Theory]
    [InlineData("zebra", "\"zebra\"")]
    [InlineData("zebra stripes", "\"zebra\" \"stripes\"")]
    [InlineData("\"quick brown\" fox", "\"quick brown\" \"fox\"")]
    [InlineData("progr*", "\"progr\"*")]
    [InlineData("\"big da\"*", "\"big da\"*")]
    [InlineData("apple -pie -\"ice cream\"", "(\"apple\") NOT \"pie\" NOT \"ice cream\"")]
    [InlineData("NEAR(a b) OR c:d", "\"NEAR a\" \"b\" \"OR\" \"c d\"")]
    public void Render_ParsedQuery_QuotesEveryTerm(string text, string expected) =>
        Assert.Equal(expected, Fts5QueryRenderer.Render(SearchQuerySyntax.Parse(text)));

    [Fact]
    public void Render_TermWithQuote_DoublesIt()
    {
        // The parser never leaves a quote in a term; the renderer must be safe on its own anyway.
        var expression = new SearchExpression([new SearchTerm("say \"hi\" NEAR(x)", IsPrefix: true)], [new SearchTerm("a\"", false)]);

        Assert.Equal("(\"say \"\"hi\"\" NEAR(x)\"*) NOT \"a\"\"\"", Fts5QueryRenderer.Render(expression));
    }

    [Theory]
    [InlineData("say \"hi\" NEAR(x)")]
    [InlineData("\"")]
    [InlineData("\"\" OR \"")]
    [InlineData("col:x) AND (y")]
    [InlineData("* ^ - + { }")]
    [InlineData("")]
    public async Task Render_AnyTermText_IsAcceptedByFts5(string raw)
    {
        var expression = new SearchExpression([new SearchTerm(raw, false), new SearchTerm(raw, true)], [new SearchTerm(raw, false)]);
        await using var connection = new SqliteConnection("Data Source=:memory:");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = """
            CREATE VIRTUAL TABLE t USING fts5 (content);
            INSERT INTO t (content) VALUES ('say hi NEAR x col y');
            SELECT count(*) FROM t WHERE t MATCH $match;
            """;
        command.Parameters.AddWithValue("$match", Fts5QueryRenderer.Render(expression));

        var count = (long)(await command.ExecuteScalarAsync())!;

        Assert.InRange(count, 0, 1);
    }
}
