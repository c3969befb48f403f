using System.Text.Json;
using Gateway.Core.Storage.Rag;

namespace Gateway.Core.Tests.Storage.Rag;

public sealed class MetadataFilterEvaluatorTests
{
    private const string Metadata = """
        {"lang": "en", "year": 2021, "score": 4.5, "draft": false, "tags": ["a", "b"], "nums": [1, 7],
         "published": "2024-05-01T10:00:00+02:00", "day": "2024-05-01", "author": {"name": "Ada", "born": 1815},
         "nothing": null, "code": "7"}
        """;

    [Theory]
    [InlineData("""{"lang": "en"}""", true)]
    [InlineData("""{"lang": "EN"}""", false)]
    [InlineData("""{"year": 2021.0}""", true)]
    [InlineData("""{"code": 7}""", false)]
    [InlineData("""{"year": "2021"}""", false)]
    [InlineData("""{"draft": false}""", true)]
    [InlineData("""{"draft": 0}""", false)]
    [InlineData("""{"tags": "b"}""", true)]
    [InlineData("""{"tags": "c"}""", false)]
    [InlineData("""{"author.name": "Ada"}""", true)]
    [InlineData("""{"author.name.first": "Ada"}""", false)]
    [InlineData("""{"missing": "x"}""", false)]
    public void Equality(string filter, bool expected) => Assert.Equal(expected, Matches(filter));

    [Theory]
    [InlineData("""{"year": {"$gt": 2020}}""", true)]
    [InlineData("""{"year": {"$gt": 2021}}""", false)]
    [InlineData("""{"year": {"$gte": 2021}}""", true)]
    [InlineData("""{"year": {"$lt": 2021}}""", false)]
    [InlineData("""{"year": {"$lte": 2021}}""", true)]
    [InlineData("""{"score": {"$gt": 4.4, "$lt": 4.6}}""", true)]
    [InlineData("""{"nums": {"$gt": 5}}""", true)]
    [InlineData("""{"nums": {"$gt": 7}}""", false)]
    [InlineData("""{"code": {"$gt": 1}}""", false)]
    [InlineData("""{"lang": {"$gt": 1}}""", false)]
    [InlineData("""{"author.born": {"$lt": 1900}}""", true)]
    public void NumericRanges(string filter, bool expected) => Assert.Equal(expected, Matches(filter));

    [Theory]
    [InlineData("""{"published": {"$lt": "2024-05-01T09:00:00Z"}}""", true)]
    [InlineData("""{"published": {"$gte": "2024-05-01T08:00:01Z"}}""", false)]
    [InlineData("""{"published": {"$gte": "2024-05-01"}}""", true)]
    [InlineData("""{"day": {"$gte": "2024-05-01T00:00:00Z", "$lte": "2024-05-01"}}""", true)]
    [InlineData("""{"day": {"$gt": "2024-05-01"}}""", false)]
    [InlineData("""{"lang": {"$gt": "2000-01-01"}}""", false)]
    [InlineData("""{"year": {"$gt": "2000-01-01"}}""", false)]
    public void DateRanges(string filter, bool expected) => Assert.Equal(expected, Matches(filter));

    [Theory]
    [InlineData("""{"lang": {"$in": ["fr", "en"]}}""", true)]
    [InlineData("""{"lang": {"$nin": ["fr", "en"]}}""", false)]
    [InlineData("""{"tags": {"$in": ["z", "a"]}}""", true)]
    [InlineData("""{"tags": {"$nin": ["z", "a"]}}""", false)]
    [InlineData("""{"missing": {"$nin": ["z"]}}""", true)]
    [InlineData("""{"missing": {"$ne": "z"}}""", true)]
    [InlineData("""{"lang": {"$ne": "en"}}""", false)]
    [InlineData("""{"year": {"$in": [1, 2021]}}""", true)]
    public void Membership(string filter, bool expected) => Assert.Equal(expected, Matches(filter));

    [Theory]
    [InlineData("""{"nothing": {"$exists": true}}""", true)]
    [InlineData("""{"missing": {"$exists": true}}""", false)]
    [InlineData("""{"missing": {"$exists": false}}""", true)]
    [InlineData("""{"author.name": {"$exists": true}}""", true)]
    public void Existence(string filter, bool expected) => Assert.Equal(expected, Matches(filter));

    [Theory]
    [InlineData("""{"$or": [{"lang": "fr"}, {"year": 2021}]}""", true)]
    [InlineData("""{"$or": [{"lang": "fr"}, {"year": 2020}]}""", false)]
    [InlineData("""{"$and": [{"lang": "en"}, {"year": 2020}]}""", false)]
    [InlineData("""{"$not": {"lang": "fr"}}""", true)]
    [InlineData("""{"missing": {"$not": {"$gt": 5}}}""", true)]
    [InlineData("""{"year": {"$not": {"$gt": 5}}}""", false)]
    [InlineData("""{"lang": "en", "$not": {"$or": [{"draft": true}, {"tags": "z"}]}}""", true)]
    public void Logic(string filter, bool expected) => Assert.Equal(expected, Matches(filter));

    [Theory]
    [InlineData("""{"$documentId": "doc-1"}""", true)]
    [InlineData("""{"$documentId": {"$in": ["doc-2", "doc-1"]}}""", true)]
    [InlineData("""{"$documentId": {"$ne": "doc-1"}}""", false)]
    public void DocumentId(string filter, bool expected) => Assert.Equal(expected, Matches(filter));

    [Fact]
    public void Matches_EveryKindOfClause_AllocatesNothing()
    {
        var filter = MetadataFilterParser.Parse(JsonElement.Parse("""
            {"$and": [{"lang": {"$in": ["fr", "en"]}}, {"author.born": {"$lt": 1900}}, {"nums": {"$gt": 5}}],
             "$or": [{"tags": "z"}, {"$documentId": "doc-1"}], "missing": {"$nin": ["x", "y"]}, "nothing": {"$exists": true}}
            """))!;
        var metadata = JsonElement.Parse(Metadata);
        Assert.True(MetadataFilterEvaluator.Matches(filter, metadata, "doc-1"));

        var before = GC.GetAllocatedBytesForCurrentThread();
        var matched = 0;
        for (var i = 0; i < 1_000; i++)
        {
            matched += MetadataFilterEvaluator.Matches(filter, metadata, "doc-1") ? 1 : 0;
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.Equal(1_000, matched);
    }

    private static bool Matches(string filter) =>
        MetadataFilterEvaluator.Matches(MetadataFilterParser.Parse(JsonElement.Parse(filter))!, JsonElement.Parse(Metadata), "doc-1");
}
