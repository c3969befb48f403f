namespace Gateway.Storage.Relational;

/// <summary>What the re-embedding SQL needs of one engine: how it locks a collection, stores an instant and a vector, and swaps vectors in.</summary>
/// <param name="LockRow">The clause after a read of the collection's row that locks it until commit (<c>FOR NO KEY UPDATE</c>), or nothing where the transaction already holds the write lock.</param>
/// <param name="StoreTime">An instant as the engine's parameter for a timestamp column.</param>
/// <param name="ReadTime">An instant back from a timestamp column.</param>
/// <param name="StoreVector">A normalised vector as the engine's parameter for a vector column.</param>
/// <param name="SwapVectors">
/// The statement that gives every chunk of <c>@collection</c> its pending vector (and, where the engine keeps
/// one per row, <c>@dimensions</c>); the chunks' keyword entries must not be rewritten by it.
/// </param>
internal sealed record ReembeddingEngine(
    string LockRow,
    Func<DateTimeOffset, object> StoreTime,
    StoredRows.TimeReader ReadTime,
    Func<float[], object> StoreVector,
    string SwapVectors);
