using System.Linq.Expressions;
using System.Text.Json;
using Gateway.Core.Storage.Rag;
using Gateway.Rag.VectorData;

namespace Gateway.Rag.Tests.VectorData;

public sealed class FilterExpressionTranslatorTests
{
    private static readonly JsonElement Metadata = JsonElement.Parse(
        """{"lang": "en", "year": 2021, "score": 4.5, "draft": false, "tags": ["a", "b"], "published": "2024-05-01T10:00:00Z", "author": {"name": "Ada"}}""");

    public static TheoryData<Expression<Func<RagChunkRecord, bool>>, bool> Cases()
    {
        var wanted = "en";
        var years = new List<long> { 2020, 2021 };
        return new()
        {
            { r => (string?)r.Metadata!["lang"] == "en", true },
            { r => (string?)r.Metadata!["lang"] == wanted, true },
            { r => "fr" == (string?)r.Metadata!["lang"], false },
            { r => (string?)r.Metadata!["lang"] != "en", false },
            { r => (long?)r.Metadata!["year"] >= 2021, true },
            { r => 2021 < (long?)r.Metadata!["year"], false },
            { r => (double?)r.Metadata!["score"] > 4.4 && (double?)r.Metadata!["score"] < 4.6, true },
            { r => (bool?)r.Metadata!["draft"] == true || (string?)r.Metadata!["lang"] == "de", false },
            { r => !(bool)r.Metadata!["draft"]!, true },
            { r => new[] { "de", "en" }.Contains((string?)r.Metadata!["lang"]), true },
            { r => years.Contains((long)r.Metadata!["year"]!), true },
            { r => ((object?[])r.Metadata!["tags"]!).Contains("b"), true },
            { r => r.Metadata!.ContainsKey("author.name"), true },
            { r => !r.Metadata!.ContainsKey("missing"), true },
            { r => (string?)r.Metadata!["author.name"] == "Ada", true },
            { r => (DateTimeOffset?)r.Metadata!["published"] > new DateTimeOffset(2024, 5, 1, 9, 0, 0, TimeSpan.Zero), true },
            { r => (DateTime?)r.Metadata!["published"] < new DateTime(2024, 1, 1, 0, 0, 0, DateTimeKind.Utc), false },
            { r => r.DocumentId == "doc-1", true },
            { r => new[] { "doc-2" }.Contains(r.DocumentId), false },
            { r => Array.Empty<string>().Contains((string?)r.Metadata!["lang"]), false },
        };
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Translate_MatchesAsTheExpressionReads(Expression<Func<RagChunkRecord, bool>> filter, bool expected)
    {
        var translated = FilterExpressionTranslator.Translate(filter);

        Assert.NotNull(translated);
        Assert.Equal(expected, MetadataFilterEvaluator.Matches(translated, Metadata, "doc-1"));
    }

    [Fact]
    public void Translate_Null_IsNoFilter() => Assert.Null(FilterExpressionTranslator.Translate(null));

    public static TheoryData<Expression<Func<RagChunkRecord, bool>>> Unsupported() => new()
    {
        r => r.Text == "x",
        r => r.Ordinal > 2,
        r => ((string)r.Metadata!["lang"]!).StartsWith('e'),
        r => (string?)r.Metadata!["lang"] == (string?)r.Metadata!["other"],
        r => (string?)r.Metadata!["lang"] == null,
        r => (string?)r.Metadata!["lang"] == "a" + r.Text,
        r => (string?)r.Metadata!["$or"] == "x",
        r => string.Compare(r.DocumentId, "a", StringComparison.Ordinal) > 0,
    };

    [Theory]
    [MemberData(nameof(Unsupported))]
    public void Translate_WhatHasNoFilterMeaning_IsRefusedWithTheExpression(Expression<Func<RagChunkRecord, bool>> filter)
    {
        var error = Assert.Throws<NotSupportedException>(() => FilterExpressionTranslator.Translate(filter));

        Assert.False(string.IsNullOrWhiteSpace(error.Message));
    }
}
