using System.Text.Json;

namespace Gateway.Core.Storage.Rag;

/// <summary>
/// Decides whether a chunk matches a <see cref="MetadataFilter"/>: the reference semantics every store
/// matches, whether it evaluates filters in memory or translates them to SQL.
/// <list type="bullet">
/// <item><c>$eq</c> / <c>$in</c>: same JSON type and value (numbers by value); an array field matches when one element does.</item>
/// <item>Ranges: a number field against a number; a string field that reads as a date (<see cref="FilterValue.TryParseDate"/>)
/// against a date, as instants; an array field when one element does; anything else does not match.</item>
/// <item><c>$exists</c>: the path is present, whatever its value (<c>null</c> included).</item>
/// <item><see cref="NotFilter"/>: the complement, so it matches chunks without the field.</item>
/// </list>
/// </summary>
public static class MetadataFilterEvaluator
{
    /// <summary>Whether a chunk with <paramref name="metadata"/> (a JSON object) of document <paramref name="documentId"/> matches.</summary>
    public static bool Matches(MetadataFilter filter, JsonElement metadata, string documentId)
    {
        ArgumentNullException.ThrowIfNull(filter);
        return filter switch
        {
            ComparisonFilter comparison => Compare(comparison, metadata, documentId),
            InFilter inFilter => inFilter.Values.Any(value => Equal(inFilter.Field, value, metadata, documentId)),
            ExistsFilter exists => TryResolve(metadata, exists.Field, out _) == exists.Exists,
            AndFilter and => and.Clauses.All(clause => Matches(clause, metadata, documentId)),
            OrFilter or => or.Clauses.Any(clause => Matches(clause, metadata, documentId)),
            NotFilter not => !Matches(not.Clause, metadata, documentId),
            _ => throw new ArgumentOutOfRangeException(nameof(filter), filter, "Unknown filter clause."),
        };
    }

    private static bool Compare(ComparisonFilter comparison, JsonElement metadata, string documentId)
    {
        if (comparison.Operator == FilterOperator.Equal)
        {
            return Equal(comparison.Field, comparison.Value, metadata, documentId);
        }

        return !comparison.Field.IsDocumentId
            && TryResolve(metadata, comparison.Field, out var field)
            && AnyElement(field, element => InRange(element, comparison.Operator, comparison.Value));
    }

    private static bool Equal(FilterField field, FilterValue value, JsonElement metadata, string documentId)
    {
        if (field.IsDocumentId)
        {
            return value.Kind == FilterValueKind.String && string.Equals(value.Text, documentId, StringComparison.Ordinal);
        }

        return TryResolve(metadata, field, out var element) && AnyElement(element, item => ScalarEquals(item, value));
    }

    private static bool AnyElement(JsonElement element, Func<JsonElement, bool> predicate)
    {
        if (element.ValueKind != JsonValueKind.Array)
        {
            return predicate(element);
        }

        foreach (var item in element.EnumerateArray())
        {
            if (predicate(item))
            {
                return true;
            }
        }

        return false;
    }

    private static bool ScalarEquals(JsonElement element, FilterValue value) => value.Kind switch
    {
        FilterValueKind.String or FilterValueKind.Date => element.ValueKind == JsonValueKind.String && element.ValueEquals(value.Text),
        FilterValueKind.Number => element.ValueKind == JsonValueKind.Number && element.TryGetDouble(out var number) && number == value.Number,
        FilterValueKind.Boolean => element.ValueKind is JsonValueKind.True or JsonValueKind.False && element.GetBoolean() == value.Boolean,
        _ => false,
    };

    private static bool InRange(JsonElement element, FilterOperator op, FilterValue value)
    {
        int order;
        if (value.Kind == FilterValueKind.Number && element.ValueKind == JsonValueKind.Number && element.TryGetDouble(out var number))
        {
            order = number.CompareTo(value.Number);
        }
        else if (value.Kind == FilterValueKind.Date && element.ValueKind == JsonValueKind.String
            && FilterValue.TryParseDate(element.GetString(), out var date))
        {
            order = date.CompareTo(value.Date);
        }
        else
        {
            return false;
        }

        return op switch
        {
            FilterOperator.GreaterThan => order > 0,
            FilterOperator.GreaterThanOrEqual => order >= 0,
            FilterOperator.LessThan => order < 0,
            FilterOperator.LessThanOrEqual => order <= 0,
            _ => false,
        };
    }

    private static bool TryResolve(JsonElement metadata, FilterField field, out JsonElement element)
    {
        element = metadata;
        foreach (var segment in field.Segments)
        {
            if (element.ValueKind != JsonValueKind.Object || !element.TryGetProperty(segment, out element))
            {
                return false;
            }
        }

        return true;
    }
}
