using System.Text;
using Gateway.Storage.Sqlite.Search;
using Microsoft.Data.Sqlite;

namespace Gateway.Storage.Sqlite.Tests.Search;

/// <summary>The tokenizer that scores candidates must cut and fold text exactly as FTS5's default unicode61 does.</summary>
public sealed class Fts5TokenizerTests
{
    [Theory]
    [InlineData("The quick brown Fox, jumps! over 42 lazy-dogs.")]
    [InlineData("Café crème brûlée à la carte; naïve coöperation")]
    [InlineData("ÀÉÎÕÜ Ýý ÇÑ Øø Åå ß Æ æ Œ œ Ǣ ǣ Ǽ Ǿ ǖ")]
    [InlineData("İstanbul ıi I ſ µ ς ϐ")]
    [InlineData("e\u0301clair: a decomposed accent \u0301 before a word and after\u0301")]
    [InlineData("1,000.50 3.14 v2 x86_64 foo_bar foo-bar don't C++ C# .NET")]
    [InlineData("日本語のテキスト 中文分词 한국어 텍스트 ภาษาไทย العربية עברית")]
    [InlineData("emoji 😀 smile🙂face 🥰 👍🏽 👨‍👩‍👧 🫠 #1️⃣ ❤️ ✓ ★")]
    [InlineData("ligature ﬁne Straße ΣΊΣΥΦΟΣ русский ТЕКСТ Ελληνικά")]
    [InlineData("zero\u200Bwidth no\u00A0break tab\tnew\nline\r\n soft\u00ADhyphen")]
    [InlineData("<script>alert('x')</script> &amp; <mark>fake</mark>")]
    [InlineData("lone \uD800 surrogate\uDC00s and 𝔘𝔫𝔦𝔠𝔬𝔡𝔢 𐐀𐐨 maths 𝟏𝟐")]
    [InlineData("ＦＵＬＬ ｗｉｄｔｈ １２３ ½ ² ⅷ ①")]
    [InlineData("")]
    [InlineData("   ...!!!   ")]
    public async Task Tokenize_TrickyText_MatchesFts5(string text)
    {
        await using var connection = await OpenAsync();
        await ExecuteAsync(connection, "INSERT INTO t (rowid, content) VALUES (1, $text)", ("$text", text));

        var fts5 = await InstancesAsync(connection, 1);
        var tokens = Fts5Tokenizer.Tokenize(text);

        Assert.Equal(fts5, tokens);
        foreach (var token in tokens)
        {
            // FTS5 reads the token back as the same term: searching for it finds the text.
            var found = await ScalarAsync(connection, "SELECT count(*) FROM t WHERE t MATCH $term", ("$term", "\"" + token.Replace("\"", "\"\"", StringComparison.Ordinal) + "\""));
            Assert.True(found == 1, $"FTS5 does not match the token '{token}' in its own text.");
        }
    }

    [Fact]
    public async Task Tokenize_EveryCodePointBetweenLetters_MatchesFts5()
    {
        // Each code point between two letters, a few thousand per row: whether it separates, and how
        // it folds, agree with FTS5 for all of Unicode.
        await using var connection = await OpenAsync();
        var rows = new List<string>();
        var text = new StringBuilder();
        for (var codePoint = 1; codePoint <= 0x10FFFF; codePoint++)
        {
            if (codePoint is >= 0xD800 and <= 0xDFFF)
            {
                continue;
            }

            text.Append(" q").Append(char.ConvertFromUtf32(codePoint)).Append('z');
            if (text.Length > 16_000)
            {
                rows.Add(text.ToString());
                text.Clear();
            }
        }

        rows.Add(text.ToString());
        await using (var transaction = await connection.BeginTransactionAsync())
        {
            for (var i = 0; i < rows.Count; i++)
            {
                await ExecuteAsync(connection, "INSERT INTO t (rowid, content) VALUES ($row, $text)", ("$row", i + 1), ("$text", rows[i]));
            }

            await transaction.CommitAsync();
        }

        var all = await AllInstancesAsync(connection);
        for (var i = 0; i < rows.Count; i++)
        {
            var expected = all.GetValueOrDefault(i + 1) ?? [];
            var actual = Fts5Tokenizer.Tokenize(rows[i]);
            var first = Enumerable.Range(0, Math.Min(expected.Count, actual.Count)).FirstOrDefault(k => expected[k] != actual[k], -1);
            Assert.True(
                expected.Count == actual.Count && first < 0,
                first < 0 ? $"row {i}: {expected.Count} tokens from FTS5, {actual.Count} here" : $"row {i}: FTS5 '{expected[first]}', here '{actual[first]}'");
        }
    }

    [Fact]
    public void Tokenize_LongToken_GrowsItsBuffer()
    {
        var word = new string('x', 500) + "É" + new string('y', 500);

        var token = Assert.Single(Fts5Tokenizer.Tokenize(" " + word + " "));

        Assert.Equal(word.ToLowerInvariant().Replace('é', 'e'), token);
    }

    private static async Task<SqliteConnection> OpenAsync()
    {
        var connection = new SqliteConnection("Data Source=:memory:");
        await connection.OpenAsync();
        await ExecuteAsync(connection, "CREATE VIRTUAL TABLE t USING fts5 (content); CREATE VIRTUAL TABLE v USING fts5vocab(t, 'instance');");
        return connection;
    }

    private static async Task<List<string>> InstancesAsync(SqliteConnection connection, long row) =>
        (await AllInstancesAsync(connection)).GetValueOrDefault(row) ?? [];

    private static async Task<Dictionary<long, List<string>>> AllInstancesAsync(SqliteConnection connection)
    {
        var instances = new Dictionary<long, List<string>>();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT doc, term FROM v ORDER BY doc, offset";
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            var doc = reader.GetInt64(0);
            if (!instances.TryGetValue(doc, out var terms))
            {
                instances[doc] = terms = [];
            }

            terms.Add(reader.GetString(1));
        }

        return instances;
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

    private static async Task<long> ScalarAsync(SqliteConnection connection, string sql, params (string Name, object Value)[] parameters)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        return (long)(await command.ExecuteScalarAsync())!;
    }
}
