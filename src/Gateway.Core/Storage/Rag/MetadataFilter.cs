namespace Gateway.Core.Storage.Rag;

/// <summary>
/// A condition on a chunk's metadata (and its document id), as <see cref="MetadataFilterParser"/> reads it
/// from Mongo-style JSON. The hierarchy is closed: <see cref="ComparisonFilter"/>, <see cref="InFilter"/>,
/// <see cref="ExistsFilter"/>, <see cref="AndFilter"/>, <see cref="OrFilter"/> and <see cref="NotFilter"/>.
/// <c>$ne</c> and <c>$nin</c> are read as <see cref="NotFilter"/> of <c>$eq</c> and <c>$in</c>, so they
/// match chunks without the field too. <see cref="MetadataFilterEvaluator"/> is the reference semantics
/// every store matches.
/// </summary>
public abstract record MetadataFilter
{
    private protected MetadataFilter()
    {
    }
}

/// <summary><c>$eq</c>, <c>$gt</c>, <c>$gte</c>, <c>$lt</c> or <c>$lte</c> on one field.</summary>
/// <param name="Field">The field compared.</param>
/// <param name="Operator">How it is compared.</param>
/// <param name="Value">What it is compared with; ranges take only numbers and dates.</param>
public sealed record ComparisonFilter(FilterField Field, FilterOperator Operator, FilterValue Value) : MetadataFilter;

/// <summary><c>$in</c>: the field equals one of the values (or, for an array, holds one of them).</summary>
/// <param name="Field">The field compared.</param>
/// <param name="Values">At least one value.</param>
public sealed record InFilter(FilterField Field, IReadOnlyList<FilterValue> Values) : MetadataFilter;

/// <summary><c>$exists</c>: the field is present (with any value, <c>null</c> included) or absent.</summary>
/// <param name="Field">The field looked for.</param>
/// <param name="Exists">Whether it must be present.</param>
public sealed record ExistsFilter(FilterField Field, bool Exists) : MetadataFilter;

/// <summary><c>$and</c>, and several conditions in one object: every clause matches.</summary>
/// <param name="Clauses">At least one clause.</param>
public sealed record AndFilter(IReadOnlyList<MetadataFilter> Clauses) : MetadataFilter;

/// <summary><c>$or</c>: at least one clause matches.</summary>
/// <param name="Clauses">At least one clause.</param>
public sealed record OrFilter(IReadOnlyList<MetadataFilter> Clauses) : MetadataFilter;

/// <summary><c>$not</c> (and <c>$ne</c>, <c>$nin</c>): the clause does not match, chunks without its field included.</summary>
/// <param name="Clause">The clause negated.</param>
public sealed record NotFilter(MetadataFilter Clause) : MetadataFilter;
