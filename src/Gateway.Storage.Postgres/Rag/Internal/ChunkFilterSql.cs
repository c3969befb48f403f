using System.Globalization;
using System.Text;
using System.Text.Json;
using Gateway.Core.Storage.Rag;
using Npgsql;

namespace Gateway.Storage.Postgres.Rag.Internal;

/// <summary>
/// Translates a <see cref="MetadataFilter"/> into a boolean SQL condition on a <c>rag_chunks</c> row, with
/// exactly <see cref="MetadataFilterEvaluator"/>'s meaning. Every value and every path segment is a
/// parameter; the SQL text holds only our own operators and parameter names. A path is resolved with
/// <c>-&gt;</c> and text keys, which, like the evaluator, steps into objects only (never into arrays).
/// Every leaf is <c>coalesce(…, false)</c>, never NULL, so <c>NOT</c> of a clause matches the chunks
/// without its field. Date ranges compare the instants in <c>metadata_dates</c>, which the store derived
/// with <see cref="FilterValue.TryParseDate"/> when it wrote the chunk.
/// </summary>
internal sealed class ChunkFilterSql
{
    private readonly StringBuilder _sql = new();
    private readonly NpgsqlParameterCollection _parameters;
    private readonly string _alias;

    private ChunkFilterSql(NpgsqlParameterCollection parameters, string alias)
    {
        _parameters = parameters;
        _alias = alias;
    }

    /// <summary>The condition for <paramref name="filter"/> on the row aliased <paramref name="alias"/> (<c>true</c> for none); its parameters are added to <paramref name="parameters"/>.</summary>
    public static string Translate(MetadataFilter? filter, NpgsqlParameterCollection parameters, string alias = "c")
    {
        ArgumentNullException.ThrowIfNull(parameters);
        if (filter is null)
        {
            return "true";
        }

        var translator = new ChunkFilterSql(parameters, alias);
        translator.Append(filter);
        return translator._sql.ToString();
    }

    private void Append(MetadataFilter filter)
    {
        switch (filter)
        {
            case ComparisonFilter { Operator: FilterOperator.Equal } equal:
                AppendEqual(equal.Field, [equal.Value]);
                break;
            case ComparisonFilter range:
                AppendRange(range);
                break;
            case InFilter inFilter:
                AppendEqual(inFilter.Field, inFilter.Values);
                break;
            case ExistsFilter exists:
                _sql.Append('(').Append(Path("metadata", exists.Field)).Append(exists.Exists ? " IS NOT NULL)" : " IS NULL)");
                break;
            case AndFilter and:
                AppendAll(and.Clauses, " AND ");
                break;
            case OrFilter or:
                AppendAll(or.Clauses, " OR ");
                break;
            case NotFilter not:
                _sql.Append("(NOT ");
                Append(not.Clause);
                _sql.Append(')');
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(filter), filter, "Unknown filter clause.");
        }
    }

    private void AppendAll(IReadOnlyList<MetadataFilter> clauses, string separator)
    {
        _sql.Append('(');
        for (var i = 0; i < clauses.Count; i++)
        {
            if (i > 0)
            {
                _sql.Append(separator);
            }

            Append(clauses[i]);
        }

        _sql.Append(')');
    }

    // $eq and $in: the same JSON type and value (jsonb equality compares numbers by value); an array field when one element is.
    private void AppendEqual(FilterField field, IReadOnlyList<FilterValue> values)
    {
        if (field.IsDocumentId)
        {
            var ids = values.Where(v => v.Kind == FilterValueKind.String).Select(v => v.Text!).ToArray();
            _sql.Append(ids.Length == 0 ? "false" : $"({_alias}.document_id = ANY({Add(ids)}::text[]))");
            return;
        }

        var path = Path("metadata", field);
        var literals = Add(values.Select(JsonLiteral).ToArray());
        _sql.Append(CultureInfo.InvariantCulture,
            $"coalesce(CASE WHEN jsonb_typeof({path}) = 'array' THEN EXISTS (SELECT 1 FROM jsonb_array_elements({path}) e WHERE e = ANY({literals}::jsonb[])) ELSE {path} = ANY({literals}::jsonb[]) END, false)");
    }

    // Ranges: a number against a number, a date string (as its instant in metadata_dates) against a date; an array when one element does.
    private void AppendRange(ComparisonFilter range)
    {
        if (range.Field.IsDocumentId || range.Value.Kind is not (FilterValueKind.Number or FilterValueKind.Date))
        {
            _sql.Append("false");
            return;
        }

        var op = range.Operator switch
        {
            FilterOperator.GreaterThan => ">",
            FilterOperator.GreaterThanOrEqual => ">=",
            FilterOperator.LessThan => "<",
            FilterOperator.LessThanOrEqual => "<=",
            _ => throw new ArgumentOutOfRangeException(nameof(range), range.Operator, "Not a range operator."),
        };
        var isDate = range.Value.Kind == FilterValueKind.Date;
        var path = Path(isDate ? "metadata_dates" : "metadata", range.Field);

        // Numbers as the shortest text that round-trips the double, compared as numeric (exact for any JSON number, never out of range).
        var bound = Add(isDate
            ? range.Value.Date.UtcTicks.ToString(CultureInfo.InvariantCulture)
            : range.Value.Number.ToString("R", CultureInfo.InvariantCulture));
        _sql.Append(CultureInfo.InvariantCulture,
            $"coalesce(CASE jsonb_typeof({path}) WHEN 'number' THEN {path}::numeric {op} {bound}::numeric WHEN 'array' THEN EXISTS (SELECT 1 FROM jsonb_array_elements({path}) e WHERE jsonb_typeof(e) = 'number' AND e::numeric {op} {bound}::numeric) ELSE false END, false)");
    }

    private string Path(string column, FilterField field)
    {
        var path = new StringBuilder("(").Append(_alias).Append('.').Append(column);
        foreach (var segment in field.Segments)
        {
            path.Append(" -> ").Append(Add(segment)).Append("::text");
        }

        return path.Append(')').ToString();
    }

    private static string JsonLiteral(FilterValue value) => value.Kind switch
    {
        FilterValueKind.String or FilterValueKind.Date => JsonSerializer.Serialize(value.Text),
        FilterValueKind.Number => value.Number.ToString("R", CultureInfo.InvariantCulture),
        FilterValueKind.Boolean => value.Boolean ? "true" : "false",
        _ => throw new ArgumentOutOfRangeException(nameof(value), value.Kind, "Unknown filter value."),
    };

    private string Add(object value)
    {
        var name = "f" + _parameters.Count.ToString(CultureInfo.InvariantCulture);
        _parameters.AddWithValue(name, value);
        return "@" + name;
    }
}
