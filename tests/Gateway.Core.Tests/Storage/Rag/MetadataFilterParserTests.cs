using System.Text.Json;
using Gateway.Core.Errors;
using Gateway.Core.Storage.Rag;

namespace Gateway.Core.Tests.Storage.Rag;

public sealed class MetadataFilterParserTests
{
    [Theory]
    [InlineData("null")]
    [InlineData("{}")]
    public void Parse_EmptyOrNull_IsNoFilter(string json) =>
        Assert.Null(MetadataFilterParser.Parse(JsonElement.Parse(json)));

    [Fact]
    public void Parse_Absent_IsNoFilter() => Assert.Null(MetadataFilterParser.Parse(null));

    [Fact]
    public void Parse_PlainValue_IsEquality()
    {
        var filter = MetadataFilterParser.Parse(JsonElement.Parse("""{"lang": "en"}"""));

        var comparison = Assert.IsType<ComparisonFilter>(filter);
        Assert.Equal("lang", comparison.Field.Path);
        Assert.Equal(FilterOperator.Equal, comparison.Operator);
        Assert.Equal(FilterValue.OfString("en"), comparison.Value);
    }

    [Fact]
    public void Parse_SeveralKeysAndOperators_AreAnAndInOrder()
    {
        var filter = MetadataFilterParser.Parse(JsonElement.Parse("""{"lang": "en", "year": {"$gte": 2020, "$lt": 2025}}"""));

        var and = Assert.IsType<AndFilter>(filter);
        Assert.Equal(2, and.Clauses.Count);
        Assert.IsType<ComparisonFilter>(and.Clauses[0]);
        var range = Assert.IsType<AndFilter>(and.Clauses[1]);
        Assert.Equal(
            [FilterOperator.GreaterThanOrEqual, FilterOperator.LessThan],
            range.Clauses.Cast<ComparisonFilter>().Select(c => c.Operator));
        Assert.All(range.Clauses.Cast<ComparisonFilter>(), c => Assert.Equal(FilterValueKind.Number, c.Value.Kind));
    }

    [Fact]
    public void Parse_NeAndNin_AreNegations()
    {
        var filter = MetadataFilterParser.Parse(JsonElement.Parse("""{"a": {"$ne": 1}, "b": {"$nin": ["x", true]}}"""));

        var and = Assert.IsType<AndFilter>(filter);
        var ne = Assert.IsType<NotFilter>(and.Clauses[0]);
        Assert.Equal(FilterOperator.Equal, Assert.IsType<ComparisonFilter>(ne.Clause).Operator);
        var nin = Assert.IsType<NotFilter>(and.Clauses[1]);
        var values = Assert.IsType<InFilter>(nin.Clause).Values;
        Assert.Equal([FilterValue.OfString("x"), FilterValue.OfBoolean(true)], values);
    }

    [Fact]
    public void Parse_DateRange_KeepsTheInstantAndText()
    {
        var filter = MetadataFilterParser.Parse(JsonElement.Parse("""{"published": {"$gt": "2024-05-01"}}"""));

        var value = Assert.IsType<ComparisonFilter>(filter).Value;
        Assert.Equal(FilterValueKind.Date, value.Kind);
        Assert.Equal(new DateTimeOffset(2024, 5, 1, 0, 0, 0, TimeSpan.Zero), value.Date);
        Assert.Equal("2024-05-01", value.Text);
    }

    [Fact]
    public void Parse_LogicalOperatorsAndFieldNot_BuildTheTree()
    {
        var filter = MetadataFilterParser.Parse(JsonElement.Parse(
            """{"$or": [{"tag": {"$in": ["a", "b"]}}, {"$not": {"year": 1999}}], "n": {"$not": {"$gt": 5}}, "x": {"$exists": false}}"""));

        var and = Assert.IsType<AndFilter>(filter);
        var or = Assert.IsType<OrFilter>(and.Clauses[0]);
        Assert.IsType<InFilter>(or.Clauses[0]);
        Assert.IsType<ComparisonFilter>(Assert.IsType<NotFilter>(or.Clauses[1]).Clause);
        Assert.Equal(FilterOperator.GreaterThan, Assert.IsType<ComparisonFilter>(Assert.IsType<NotFilter>(and.Clauses[1]).Clause).Operator);
        Assert.False(Assert.IsType<ExistsFilter>(and.Clauses[2]).Exists);
    }

    [Fact]
    public void Parse_DocumentId_IsTheReservedField()
    {
        var filter = MetadataFilterParser.Parse(JsonElement.Parse("""{"$documentId": {"$in": ["d1", "d2"]}}"""));

        Assert.True(Assert.IsType<InFilter>(filter).Field.IsDocumentId);
    }

    [Theory]
    [InlineData("[1]", "filter")]
    [InlineData("""{"$or": []}""", "filter.$or")]
    [InlineData("""{"$or": [{"a": 1}, 5]}""", "filter.$or[1]")]
    [InlineData("""{"$nor": [{"a": 1}]}""", "filter.$nor")]
    [InlineData("""{"a": {"$regex": "x"}}""", "filter.a.$regex")]
    [InlineData("""{"a": {"$gt": "soon"}}""", "filter.a.$gt")]
    [InlineData("""{"a": {"$gt": true}}""", "filter.a.$gt")]
    [InlineData("""{"a": {"$in": []}}""", "filter.a.$in")]
    [InlineData("""{"a": {"$in": [1, null]}}""", "filter.a.$in[1]")]
    [InlineData("""{"a": {"$exists": 1}}""", "filter.a.$exists")]
    [InlineData("""{"a": {"$not": 5}}""", "filter.a.$not")]
    [InlineData("""{"a": null}""", "filter.a")]
    [InlineData("""{"a": [1, 2]}""", "filter.a")]
    [InlineData("""{"a": {}}""", "filter.a")]
    [InlineData("""{"a..b": 1}""", "filter.a..b")]
    [InlineData("""{"$documentId": 5}""", "filter.$documentId")]
    [InlineData("""{"$documentId": {"$gt": "a"}}""", "filter.$documentId.$gt")]
    [InlineData("""{"$documentId": {"$exists": true}}""", "filter.$documentId.$exists")]
    public void Parse_BadClause_IsInvalidFilterNamingItsPath(string json, string path)
    {
        var error = Assert.Throws<GatewayException>(() => MetadataFilterParser.Parse(JsonElement.Parse(json)));

        Assert.Equal(GatewayErrorCodes.InvalidFilter, error.ErrorCode);
        Assert.Equal(GatewayErrorKind.InvalidRequest, error.Kind);
        Assert.Equal(path, error.Extensions["path"]);
        Assert.StartsWith(path + ":", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_TheCallersPath_PrefixesErrors()
    {
        var error = Assert.Throws<GatewayException>(() => MetadataFilterParser.Parse(JsonElement.Parse("""{"a": {"$bad": 1}}"""), "rag.filter"));

        Assert.Equal("rag.filter.a.$bad", error.Extensions["path"]);
    }

    [Fact]
    public void Parse_TooDeep_IsRefused()
    {
        var json = string.Concat(Enumerable.Repeat("""{"$not": """, MetadataFilterParser.MaxDepth + 2)) + """{"a": 1}""" + new string('}', MetadataFilterParser.MaxDepth + 2);

        var error = Assert.Throws<GatewayException>(() => MetadataFilterParser.Parse(JsonElement.Parse(json)));

        Assert.Equal(GatewayErrorCodes.InvalidFilter, error.ErrorCode);
    }
}
