namespace Gateway.Core.Storage.Rag;

/// <summary>How the ingestion of a source's sync ended, as the sync is recorded.</summary>
/// <param name="IngestionId">The ingestion the sync started.</param>
/// <param name="Completed">
/// Whether the ingestion completed; when it failed as a whole or was cancelled none of its changes are
/// recorded, so the next sync sends them again.
/// </param>
/// <param name="FailedDocuments">The names of the documents that failed alone; their files keep the state they had, so the next sync retries them.</param>
/// <param name="FinishedAt">When the ingestion finished.</param>
public sealed record RagSourceSyncResult(string IngestionId, bool Completed, IReadOnlyCollection<string> FailedDocuments, DateTimeOffset FinishedAt);
