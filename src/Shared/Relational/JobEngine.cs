namespace Gateway.Storage.Relational;

/// <summary>What the job store's SQL needs of one engine: how it locks rows and how it stores an instant.</summary>
/// <param name="LockRow">The clause after a read that locks the job row it returns until commit (<c>FOR UPDATE</c>), or nothing where the transaction already holds the write lock.</param>
/// <param name="ClaimLock">The clause after the claim's read that locks the candidate and passes over rows other claims hold (<c>FOR UPDATE SKIP LOCKED</c>), or nothing.</param>
/// <param name="StoreTime">An instant as the engine's parameter for a timestamp column.</param>
/// <param name="ReadTime">An instant back from a timestamp column.</param>
internal sealed record JobEngine(string LockRow, string ClaimLock, Func<DateTimeOffset, object> StoreTime, StoredRows.TimeReader ReadTime);
