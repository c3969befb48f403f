using System.Collections;
using System.Linq.Expressions;
using System.Reflection;
using Gateway.Core.Storage.Rag;

namespace Gateway.Rag.VectorData;

/// <summary>
/// Turns a Microsoft.Extensions.VectorData filter over <see cref="RagChunkRecord"/> into a <see cref="MetadataFilter"/>:
/// <c>==</c>, <c>!=</c>, <c>&lt;</c>, <c>&lt;=</c>, <c>&gt;</c>, <c>&gt;=</c>, <c>&amp;&amp;</c>, <c>||</c>, <c>!</c>,
/// <c>values.Contains(field)</c> (in-list), <c>field.Contains(value)</c> on an array entry (any element),
/// <c>r.Metadata.ContainsKey("k")</c> (exists) and a boolean entry on its own, over <c>r.Metadata["k"]</c> entries
/// (dotted keys reach nested objects) and <c>r.DocumentId</c>. Anything else is refused with <see cref="NotSupportedException"/>.
/// </summary>
internal static class FilterExpressionTranslator
{
    public static MetadataFilter? Translate(Expression<Func<RagChunkRecord, bool>>? filter) =>
        filter is null ? null : Visit(filter.Body, filter.Parameters[0]);

    private static MetadataFilter Visit(Expression expression, ParameterExpression record)
    {
        if (TryField(expression, record, out var field))
        {
            return new ComparisonFilter(field, FilterOperator.Equal, FilterValue.OfBoolean(true));
        }

        switch (expression)
        {
            case BinaryExpression { NodeType: ExpressionType.AndAlso } and:
                return new AndFilter([Visit(and.Left, record), Visit(and.Right, record)]);
            case BinaryExpression { NodeType: ExpressionType.OrElse } or:
                return new OrFilter([Visit(or.Left, record), Visit(or.Right, record)]);
            case UnaryExpression { NodeType: ExpressionType.Not } not:
                return new NotFilter(Visit(not.Operand, record));
            case BinaryExpression binary when Operator(binary.NodeType) is { } op:
                return Comparison(binary, op, record);
            case MethodCallExpression call:
                return Call(call, record);
            default:
                throw Unsupported(expression);
        }
    }

    private static ExpressionType? Operator(ExpressionType type) => type switch
    {
        ExpressionType.Equal or ExpressionType.NotEqual or ExpressionType.GreaterThan or ExpressionType.GreaterThanOrEqual
            or ExpressionType.LessThan or ExpressionType.LessThanOrEqual => type,
        _ => null,
    };

    private static MetadataFilter Comparison(BinaryExpression binary, ExpressionType op, ParameterExpression record)
    {
        var (fieldSide, valueSide, flipped) = TryField(binary.Left, record, out var field)
            ? (binary.Left, binary.Right, false)
            : TryField(binary.Right, record, out field) ? (binary.Right, binary.Left, true) : (null, null, false);
        if (fieldSide is null || valueSide is null || DependsOn(valueSide, record))
        {
            throw Unsupported(binary);
        }

        var value = Value(Evaluate(valueSide), binary);
        if (flipped)
        {
            op = op switch
            {
                ExpressionType.GreaterThan => ExpressionType.LessThan,
                ExpressionType.GreaterThanOrEqual => ExpressionType.LessThanOrEqual,
                ExpressionType.LessThan => ExpressionType.GreaterThan,
                ExpressionType.LessThanOrEqual => ExpressionType.GreaterThanOrEqual,
                _ => op,
            };
        }

        var equal = new ComparisonFilter(field, FilterOperator.Equal, value);
        return op switch
        {
            ExpressionType.Equal => equal,
            ExpressionType.NotEqual => new NotFilter(equal),
            _ => Range(field, op, value, binary),
        };
    }

    private static ComparisonFilter Range(FilterField field, ExpressionType op, FilterValue value, Expression at)
    {
        if (value.Kind is not (FilterValueKind.Number or FilterValueKind.Date) || field.IsDocumentId)
        {
            throw new NotSupportedException($"'{at}': a range compares a metadata entry with a number or a date.");
        }

        return new ComparisonFilter(field, op switch
        {
            ExpressionType.GreaterThan => FilterOperator.GreaterThan,
            ExpressionType.GreaterThanOrEqual => FilterOperator.GreaterThanOrEqual,
            ExpressionType.LessThan => FilterOperator.LessThan,
            _ => FilterOperator.LessThanOrEqual,
        }, value);
    }

    private static MetadataFilter Call(MethodCallExpression call, ParameterExpression record)
    {
        if (call.Method.Name == nameof(Dictionary<string, object>.ContainsKey)
            && call.Object is { } target && IsMetadata(target, record)
            && call.Arguments is [var key] && !DependsOn(key, record))
        {
            return new ExistsFilter(new FilterField(KeyOf(Evaluate(key), call)), true);
        }

        if (call.Method.Name == nameof(Enumerable.Contains))
        {
            var (source, item) = call.Object is { } instance ? (instance, call.Arguments[0]) : (call.Arguments[0], call.Arguments[1]);
            source = StripSpanConversion(source);
            if (TryField(item, record, out var field) && !DependsOn(source, record))
            {
                var values = ((IEnumerable?)Evaluate(source) ?? Array.Empty<object>()).Cast<object?>().Select(v => Value(v, call)).ToList();
                return values.Count == 0 ? MatchesNothing(field) : new InFilter(field, values);
            }

            if (TryField(source, record, out field) && !DependsOn(item, record))
            {
                return new ComparisonFilter(field, FilterOperator.Equal, Value(Evaluate(item), call));
            }
        }

        throw Unsupported(call);
    }

    /// <summary>An empty in-list: a field both present and absent.</summary>
    private static AndFilter MatchesNothing(FilterField field) =>
        field.IsDocumentId
            ? new AndFilter([new ComparisonFilter(field, FilterOperator.Equal, FilterValue.OfString("")), new NotFilter(new ComparisonFilter(field, FilterOperator.Equal, FilterValue.OfString("")))])
            : new AndFilter([new ExistsFilter(field, true), new ExistsFilter(field, false)]);

    private static Expression StripSpanConversion(Expression source) =>
        source is MethodCallExpression { Method.Name: "op_Implicit", Arguments: [var inner] } ? inner : source;

    private static bool TryField(Expression expression, ParameterExpression record, out FilterField field)
    {
        while (expression is UnaryExpression { NodeType: ExpressionType.Convert or ExpressionType.TypeAs } convert)
        {
            expression = convert.Operand;
        }

        if (expression is MemberExpression { Member.Name: nameof(RagChunkRecord.DocumentId) } member && member.Expression == record)
        {
            field = new FilterField(FilterField.DocumentIdName);
            return true;
        }

        if (expression is MethodCallExpression { Method.Name: "get_Item", Object: { } target, Arguments: [var key] } index
            && IsMetadata(target, record) && !DependsOn(key, record))
        {
            field = new FilterField(KeyOf(Evaluate(key), index));
            return true;
        }

        field = null!;
        return false;
    }

    private static bool IsMetadata(Expression expression, ParameterExpression record) =>
        expression is MemberExpression { Member.Name: nameof(RagChunkRecord.Metadata) } member && member.Expression == record;

    private static string KeyOf(object? key, Expression at) =>
        key is string { Length: > 0 } text && !text.StartsWith('$') && !text.Split('.').Any(s => s.Length == 0)
            ? text
            : throw new NotSupportedException($"'{at}': a metadata key is a non-empty, dot-separated name that does not start with '$'.");

    private static FilterValue Value(object? value, Expression at) => value switch
    {
        string text => FilterValue.OfString(text),
        bool boolean => FilterValue.OfBoolean(boolean),
        DateTimeOffset date => FilterValue.OfDate(date.ToUniversalTime(), date.ToUniversalTime().ToString("O", System.Globalization.CultureInfo.InvariantCulture)),
        DateTime date => Value(new DateTimeOffset(date.Kind == DateTimeKind.Unspecified ? DateTime.SpecifyKind(date, DateTimeKind.Utc) : date), at),
        DateOnly day => Value(new DateTimeOffset(day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero), at),
        byte or sbyte or short or ushort or int or uint or long or ulong or float or double or decimal =>
            Convert.ToDouble(value, System.Globalization.CultureInfo.InvariantCulture) is var number && double.IsFinite(number)
                ? FilterValue.OfNumber(number)
                : throw new NotSupportedException($"'{at}': the number is out of range."),
        null => throw new NotSupportedException($"'{at}': null is not a filter value; use !r.Metadata.ContainsKey(key) for a missing entry."),
        _ => throw new NotSupportedException($"'{at}': a filter value is a string, a number, a boolean or a date, not {value.GetType().Name}."),
    };

    private static bool DependsOn(Expression expression, ParameterExpression record)
    {
        var finder = new ParameterFinder(record);
        finder.Visit(expression);
        return finder.Found;
    }

    private static object? Evaluate(Expression expression) => expression switch
    {
        ConstantExpression constant => constant.Value,
        MemberExpression { Expression: ConstantExpression closure, Member: FieldInfo field } => field.GetValue(closure.Value),
        _ => Expression.Lambda(expression).Compile(preferInterpretation: true).DynamicInvoke(),
    };

    private static NotSupportedException Unsupported(Expression expression) => new(
        $"The filter '{expression}' cannot be translated: use ==, !=, <, <=, >, >=, &&, ||, ! and Contains over r.Metadata[\"key\"] and r.DocumentId, "
        + "and r.Metadata.ContainsKey(\"key\").");

    private sealed class ParameterFinder(ParameterExpression record) : ExpressionVisitor
    {
        public bool Found { get; private set; }

        protected override Expression VisitParameter(ParameterExpression node)
        {
            Found |= node == record;
            return node;
        }
    }
}
