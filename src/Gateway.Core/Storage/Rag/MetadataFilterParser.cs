using System.Text.Json;
using Gateway.Core.Errors;

namespace Gateway.Core.Storage.Rag;

/// <summary>
/// Reads a filter in the Mongo-style JSON that Chroma and Pinecone users know:
/// <c>{"lang": "en", "year": {"$gte": 2020}, "tag": {"$in": ["a", "b"]}, "$or": [{…}, {…}]}</c>, with
/// <c>$eq $ne $gt $gte $lt $lte $in $nin $exists $and $or $not</c>. Several keys in one object all apply
/// (and). A plain value means <c>$eq</c>; <c>$not</c> takes a filter at the top level or an operator object
/// under a field. Values are strings, numbers and booleans; ranges take numbers and ISO-8601 dates.
/// </summary>
public static class MetadataFilterParser
{
    /// <summary>The deepest nesting of <c>$and</c>, <c>$or</c> and <c>$not</c> a filter may have.</summary>
    public const int MaxDepth = 16;

    /// <summary>The most values one <c>$in</c> or <c>$nin</c> may list.</summary>
    public const int MaxInValues = 1_000;

    /// <summary>The filter <paramref name="filter"/> describes, or <see langword="null"/> for <c>{}</c>, <c>null</c> or an absent member (every chunk).</summary>
    /// <param name="filter">The JSON filter.</param>
    /// <param name="path">Where the filter sits in the request, for error messages (e.g. <c>filter</c> or <c>rag.filter</c>).</param>
    /// <exception cref="GatewayException"><see cref="GatewayErrorCodes.InvalidFilter"/> with the path of the first bad clause.</exception>
    public static MetadataFilter? Parse(JsonElement? filter, string path = "filter")
    {
        if (filter is not { } element || element.ValueKind is JsonValueKind.Undefined or JsonValueKind.Null)
        {
            return null;
        }

        if (element.ValueKind != JsonValueKind.Object)
        {
            throw Invalid(path, "expected a JSON object of field conditions.");
        }

        return element.EnumerateObject().Any() ? ParseObject(element, path, 0) : null;
    }

    private static MetadataFilter ParseObject(JsonElement element, string path, int depth)
    {
        if (depth > MaxDepth)
        {
            throw Invalid(path, $"filters nest at most {MaxDepth} levels deep.");
        }

        var clauses = new List<MetadataFilter>();
        foreach (var property in element.EnumerateObject())
        {
            var at = $"{path}.{property.Name}";
            clauses.Add(property.Name switch
            {
                "$and" => new AndFilter(ParseList(property.Value, at, depth)),
                "$or" => new OrFilter(ParseList(property.Value, at, depth)),
                "$not" => new NotFilter(ParseNested(property.Value, at, depth)),
                FilterField.DocumentIdName => ParseField(new FilterField(property.Name), property.Value, at),
                ['$', ..] => throw Invalid(at, $"'{property.Name}' is not a filter operator here; at the top level use $and, $or, $not or a field name."),
                _ => ParseField(Field(property.Name, at), property.Value, at),
            });
        }

        if (clauses.Count == 0)
        {
            throw Invalid(path, "expected at least one condition.");
        }

        return clauses.Count == 1 ? clauses[0] : new AndFilter(clauses);
    }

    private static MetadataFilter ParseNested(JsonElement element, string path, int depth)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            throw Invalid(path, "expected a filter object.");
        }

        return ParseObject(element, path, depth + 1);
    }

    private static List<MetadataFilter> ParseList(JsonElement element, string path, int depth)
    {
        if (element.ValueKind != JsonValueKind.Array || element.GetArrayLength() == 0)
        {
            throw Invalid(path, "expected a non-empty array of filter objects.");
        }

        var clauses = new List<MetadataFilter>(element.GetArrayLength());
        var index = 0;
        foreach (var item in element.EnumerateArray())
        {
            clauses.Add(ParseNested(item, $"{path}[{index++}]", depth));
        }

        return clauses;
    }

    private static FilterField Field(string name, string path)
    {
        if (name.Length == 0 || name.Split('.').Any(segment => segment.Length == 0))
        {
            throw Invalid(path, "a field name must be a non-empty, dot-separated path without empty segments.");
        }

        return new FilterField(name);
    }

    private static MetadataFilter ParseField(FilterField field, JsonElement condition, string path)
    {
        if (condition.ValueKind != JsonValueKind.Object)
        {
            return new ComparisonFilter(field, FilterOperator.Equal, Value(field, condition, path));
        }

        var clauses = new List<MetadataFilter>();
        foreach (var property in condition.EnumerateObject())
        {
            var at = $"{path}.{property.Name}";
            clauses.Add(property.Name switch
            {
                "$eq" => new ComparisonFilter(field, FilterOperator.Equal, Value(field, property.Value, at)),
                "$ne" => new NotFilter(new ComparisonFilter(field, FilterOperator.Equal, Value(field, property.Value, at))),
                "$gt" => Range(field, FilterOperator.GreaterThan, property.Value, at),
                "$gte" => Range(field, FilterOperator.GreaterThanOrEqual, property.Value, at),
                "$lt" => Range(field, FilterOperator.LessThan, property.Value, at),
                "$lte" => Range(field, FilterOperator.LessThanOrEqual, property.Value, at),
                "$in" => new InFilter(field, Values(field, property.Value, at)),
                "$nin" => new NotFilter(new InFilter(field, Values(field, property.Value, at))),
                "$exists" => Exists(field, property.Value, at),
                "$not" => new NotFilter(ParseField(field, NotOperand(property.Value, at), at)),
                _ => throw Invalid(at, $"'{property.Name}' is not a field operator; expected one of $eq $ne $gt $gte $lt $lte $in $nin $exists $not."),
            });
        }

        if (clauses.Count == 0)
        {
            throw Invalid(path, "expected a value or an object of operators such as {\"$eq\": …}.");
        }

        return clauses.Count == 1 ? clauses[0] : new AndFilter(clauses);
    }

    private static JsonElement NotOperand(JsonElement element, string path) =>
        element.ValueKind == JsonValueKind.Object && element.EnumerateObject().Any()
            ? element
            : throw Invalid(path, "under a field, $not takes an object of operators, e.g. {\"$not\": {\"$gt\": 5}}.");

    private static ExistsFilter Exists(FilterField field, JsonElement element, string path)
    {
        if (element.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
        {
            throw Invalid(path, "$exists takes true or false.");
        }

        if (field.IsDocumentId)
        {
            throw Invalid(path, "every chunk has a $documentId; $exists does not apply to it.");
        }

        return new ExistsFilter(field, element.GetBoolean());
    }

    private static ComparisonFilter Range(FilterField field, FilterOperator op, JsonElement element, string path)
    {
        if (field.IsDocumentId)
        {
            throw Invalid(path, "$documentId takes only $eq, $ne, $in and $nin.");
        }

        if (element.ValueKind == JsonValueKind.Number)
        {
            return new ComparisonFilter(field, op, FilterValue.OfNumber(Number(element, path)));
        }

        if (element.ValueKind == JsonValueKind.String && FilterValue.TryParseDate(element.GetString(), out var date))
        {
            return new ComparisonFilter(field, op, FilterValue.OfDate(date, element.GetString()!));
        }

        throw Invalid(path, "a range takes a number or an ISO-8601 date such as \"2024-05-01\" or \"2024-05-01T12:00:00Z\".");
    }

    private static List<FilterValue> Values(FilterField field, JsonElement element, string path)
    {
        if (element.ValueKind != JsonValueKind.Array || element.GetArrayLength() == 0)
        {
            throw Invalid(path, "expected a non-empty array of values.");
        }

        if (element.GetArrayLength() > MaxInValues)
        {
            throw Invalid(path, $"expected at most {MaxInValues} values.");
        }

        var values = new List<FilterValue>(element.GetArrayLength());
        var index = 0;
        foreach (var item in element.EnumerateArray())
        {
            values.Add(Value(field, item, $"{path}[{index++}]"));
        }

        return values;
    }

    private static FilterValue Value(FilterField field, JsonElement element, string path)
    {
        if (field.IsDocumentId && element.ValueKind != JsonValueKind.String)
        {
            throw Invalid(path, "a $documentId is a string.");
        }

        return element.ValueKind switch
        {
            JsonValueKind.String => FilterValue.OfString(element.GetString()!),
            JsonValueKind.Number => FilterValue.OfNumber(Number(element, path)),
            JsonValueKind.True or JsonValueKind.False => FilterValue.OfBoolean(element.GetBoolean()),
            JsonValueKind.Null => throw Invalid(path, "null is not a filter value; use {\"$exists\": false} for a missing field."),
            _ => throw Invalid(path, "expected a string, a number or a boolean."),
        };
    }

    private static double Number(JsonElement element, string path) =>
        element.TryGetDouble(out var number) && double.IsFinite(number)
            ? number
            : throw Invalid(path, "the number is out of range.");

    private static GatewayException Invalid(string path, string problem) => RagRules.InvalidFilter(path, problem);
}
