namespace Gateway.Core.Storage.Rag;

/// <summary>How a <see cref="ComparisonFilter"/> compares its field with its value.</summary>
public enum FilterOperator
{
    /// <summary><c>$eq</c>: equal, with the same type (numbers compare by value); an array field matches when one element is equal.</summary>
    Equal,

    /// <summary><c>$gt</c>: a number or date greater than the value.</summary>
    GreaterThan,

    /// <summary><c>$gte</c>: a number or date greater than or equal to the value.</summary>
    GreaterThanOrEqual,

    /// <summary><c>$lt</c>: a number or date less than the value.</summary>
    LessThan,

    /// <summary><c>$lte</c>: a number or date less than or equal to the value.</summary>
    LessThanOrEqual,
}
