namespace Gateway.Core.Storage.Conversations;

/// <summary>
/// A search query in backend-neutral form: every <see cref="Required"/> term must match and no
/// <see cref="Excluded"/> term may. Each backend renders it into its own syntax with every term
/// quoted, so user text never becomes backend operators.
/// </summary>
/// <param name="Required">Terms that must all match; never empty.</param>
/// <param name="Excluded">Terms that must not match.</param>
public sealed record SearchExpression(IReadOnlyList<SearchTerm> Required, IReadOnlyList<SearchTerm> Excluded);
