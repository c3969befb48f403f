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
/// A store that evaluates in memory runs it once per document or candidate of a filtered search, so it
/// allocates nothing: indexed loops and no delegates.
/// </summary>
public static class MetadataFilterEvaluator
{
    /// <summary>Whether a chunk with <paramref name="metadata"/> (a JSON object) of document <paramref name="documentId"/> matches.</summary>
    public static bool Matches(MetadataFilter filter, JsonElement metadata, string documentId)
    {
        ArgumentNullException.ThrowIfNull(filter);
        switch (filter)
        {
            case ComparisonFilter comparison:
                return Compare(comparison, metadata, documentId);
            case InFilter inFilter:
                for (var i = 0; i < inFilter.Values.Count; i++)
                {
                    if (Equal(inFilter.Field, inFilter.Values[i], metadata, documentId))
                    {
                        return true;
                    }
                }

                return false;
            case ExistsFilter exists:
                return TryResolve(metadata, exists.Field, out _) == exists.Exists;
            case AndFilter and:
                for (var i = 0; i < and.Clauses.Count; i++)
                {
                    if (!Matches(and.Clauses[i], metadata, documentId))
                    {
                        return false;
                    }
                }

                return true;
            case OrFilter or:
                for (var i = 0; i < or.Clauses.Count; i++)
                {
                    if (Matches(or.Clauses[i], metadata, documentId))
                    {
                        return true;
                    }
                }

                return false;
            case NotFilter not:
                return !Matches(not.Clause, metadata, documentId);
            default:
                throw new ArgumentOutOfRangeException(nameof(filter), filter, "Unknown filter clause.");
        }
    }

    private static bool Compare(ComparisonFilter comparison, JsonElement metadata, string documentId)
    {
        if (comparison.Operator == FilterOperator.Equal)
        {
            return Equal(comparison.Field, comparison.Value, metadata, documentId);
        }

        if (comparison.Field.IsDocumentId || !TryResolve(metadata, comparison.Field, out var field))
        {
            return false;
        }

        if (field.ValueKind != JsonValueKind.Array)
        {
            return InRange(field, comparison.Operator, comparison.Value);
        }

        foreach (var item in field.EnumerateArray())
        {
            if (InRange(item, comparison.Operator, comparison.Value))
            {
                return true;
            }
        }

        return false;
    }

    private static bool Equal(FilterField field, FilterValue value, JsonElement metadata, string documentId)
    {
        if (field.IsDocumentId)
        {
            return value.Kind == FilterValueKind.String && string.Equals(value.Text, documentId, StringComparison.Ordinal);
        }

        if (!TryResolve(metadata, field, out var element))
        {
            return false;
        }

        if (element.ValueKind != JsonValueKind.Array)
        {
            return ScalarEquals(element, value);
        }

        foreach (var item in element.EnumerateArray())
        {
            if (ScalarEquals(item, value))
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
        foreach (var segment in field.SegmentSpan)
        {
            if (element.ValueKind != JsonValueKind.Object || !element.TryGetProperty(segment, out element))
            {
                return false;
            }
        }

        return true;
    }
}
