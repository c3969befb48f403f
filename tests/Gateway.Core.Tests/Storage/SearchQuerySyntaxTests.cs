using Gateway.Core.Errors;
using Gateway.Core.Storage.Conversations;

namespace Gateway.Core.Tests.Storage;

public sealed class SearchQuerySyntaxTests
{
    [Fact]
    public void Parse_Words_EachIsARequiredTerm()
    {
        var expression = SearchQuerySyntax.Parse("  hello   world ");

        Assert.Equal([new SearchTerm("hello", false), new SearchTerm("world", false)], expression.Required);
        Assert.Empty(expression.Excluded);
    }

    [Fact]
    public void Parse_QuotedPhrase_IsOneTerm()
    {
        var expression = SearchQuerySyntax.Parse("\"exact  phrase\" word");

        Assert.Equal([new SearchTerm("exact phrase", false), new SearchTerm("word", false)], expression.Required);
    }

    [Fact]
    public void Parse_UnclosedQuote_PhraseRunsToTheEnd()
    {
        var expression = SearchQuerySyntax.Parse("before \"open phrase here");

        Assert.Equal([new SearchTerm("before", false), new SearchTerm("open phrase here", false)], expression.Required);
    }

    [Theory]
    [InlineData("data*", "data")]
    [InlineData("\"big da\"*", "big da")]
    [InlineData("\"big da*\"", "big da")]
    public void Parse_TrailingStar_IsAPrefixOnTheLastWord(string text, string words)
    {
        var expression = SearchQuerySyntax.Parse(text);

        Assert.Equal([new SearchTerm(words, true)], expression.Required);
    }

    [Fact]
    public void Parse_StarInsideAWord_SeparatesWordsAndIsNoPrefix()
    {
        var expression = SearchQuerySyntax.Parse("foo*bar");

        Assert.Equal([new SearchTerm("foo bar", false)], expression.Required);
    }

    [Fact]
    public void Parse_MinusBeforeWordOrPhrase_Excludes()
    {
        var expression = SearchQuerySyntax.Parse("hello -spam -\"junk mail\"");

        Assert.Equal([new SearchTerm("hello", false)], expression.Required);
        Assert.Equal([new SearchTerm("spam", false), new SearchTerm("junk mail", false)], expression.Excluded);
    }

    [Fact]
    public void Parse_LoneMinus_IsNoExclusion()
    {
        var expression = SearchQuerySyntax.Parse("well - known");

        Assert.Equal([new SearchTerm("well", false), new SearchTerm("known", false)], expression.Required);
        Assert.Empty(expression.Excluded);
    }

    [Fact]
    public void Parse_HyphenInsideAWord_SeparatesWords()
    {
        var expression = SearchQuerySyntax.Parse("e-mail");

        Assert.Equal([new SearchTerm("e mail", false)], expression.Required);
    }

    [Theory]
    [InlineData("-spam")]
    [InlineData("-spam -\"junk mail\"")]
    public void Parse_OnlyExclusions_IsInvalid(string text) => AssertInvalid(text);

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   \t\n")]
    [InlineData("!!! ??? ...")]
    [InlineData("\"\"")]
    [InlineData("*")]
    [InlineData("-")]
    [InlineData("\"")]
    [InlineData("()")]
    [InlineData("😀 🎉")]
    public void Parse_NothingToSearchFor_IsInvalid(string? text) => AssertInvalid(text);

    [Theory]
    [InlineData("cats AND dogs", new[] { "cats", "AND", "dogs" })]
    [InlineData("cats OR dogs", new[] { "cats", "OR", "dogs" })]
    [InlineData("cats NOT dogs", new[] { "cats", "NOT", "dogs" })]
    [InlineData("NEAR(cats dogs, 5)", new[] { "NEAR cats", "dogs", "5" })]
    [InlineData("content:secret", new[] { "content secret" })]
    [InlineData("{content role}:x", new[] { "content", "role x" })]
    [InlineData("(cats OR dogs)", new[] { "cats", "OR", "dogs" })]
    [InlineData("^start + plus", new[] { "start", "plus" })]
    public void Parse_BackendOperators_BecomePlainWords(string text, string[] terms)
    {
        var expression = SearchQuerySyntax.Parse(text);

        Assert.Equal(terms, expression.Required.Select(t => t.Text));
        Assert.All(expression.Required, t => Assert.False(t.IsPrefix));
        Assert.Empty(expression.Excluded);
    }

    [Theory]
    [InlineData("say\"hi\"there")]
    [InlineData("it's")]
    [InlineData("a;DROP TABLE messages;--")]
    [InlineData("x' OR '1'='1")]
    public void Parse_AnyInput_YieldsOnlyLettersDigitsAndSingleSpaces(string text)
    {
        var expression = SearchQuerySyntax.Parse(text);

        Assert.All(expression.Required.Concat(expression.Excluded), term =>
        {
            Assert.DoesNotContain("  ", term.Text, StringComparison.Ordinal);
            Assert.All(term.Text, c => Assert.True(char.IsLetterOrDigit(c) || c is ' ' or '_', $"unexpected '{c}' in '{term.Text}'"));
        });
    }

    [Fact]
    public void Parse_Unicode_KeepsLettersAndMarks()
    {
        var expression = SearchQuerySyntax.Parse("café nai\u0308ve 日本語 Ελληνικά");

        Assert.Equal(["café", "nai\u0308ve", "日本語", "Ελληνικά"], expression.Required.Select(t => t.Text));
    }

    [Fact]
    public void Parse_MaxLength_IsAccepted()
    {
        var expression = SearchQuerySyntax.Parse(new string('a', SearchQuerySyntax.MaxLength));

        Assert.Single(expression.Required);
    }

    [Fact]
    public void Parse_OverMaxLength_IsInvalid() => AssertInvalid(new string('a', SearchQuerySyntax.MaxLength + 1));

    [Fact]
    public void Parse_MaxTerms_IsAccepted()
    {
        var text = string.Join(' ', Enumerable.Range(0, SearchQuerySyntax.MaxTerms).Select(i => "w" + i));

        var expression = SearchQuerySyntax.Parse(text);

        Assert.Equal(SearchQuerySyntax.MaxTerms, expression.Required.Count);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Parse_OverMaxTerms_IsInvalid(bool lastExcluded)
    {
        var words = Enumerable.Range(0, SearchQuerySyntax.MaxTerms).Select(i => "w" + i).ToList();
        words.Add(lastExcluded ? "-extra" : "extra");

        AssertInvalid(string.Join(' ', words));
    }

    [Fact]
    public void Parse_PunctuationTermsDoNotCountTowardsMaxTerms()
    {
        var text = string.Join(' ', Enumerable.Repeat("!!", 40)) + " word";

        var expression = SearchQuerySyntax.Parse(text);

        Assert.Equal([new SearchTerm("word", false)], expression.Required);
    }

    private static void AssertInvalid(string? text)
    {
        var error = Assert.Throws<GatewayException>(() => SearchQuerySyntax.Parse(text));
        Assert.Equal(GatewayErrorKind.InvalidRequest, error.Kind);
        Assert.Equal(GatewayErrorCodes.InvalidSearchQuery, error.ErrorCode);
        Assert.Equal("q", error.Extensions["field"]);
    }
}
