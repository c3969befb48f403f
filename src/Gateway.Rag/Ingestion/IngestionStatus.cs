using Gateway.Core.Storage.Jobs;

namespace Gateway.Rag.Ingestion;

/// <summary>
/// Where an ingestion (or a re-embedding, which reports the same shape) is: what <c>GET /api/rag/ingestions/{id}</c>
/// answers and its <c>progress</c> events carry. Documents done count the added, the skipped (unchanged) and the
/// failed ones; removals are counted apart. Chunk counts grow as documents are chunked.
/// </summary>
/// <param name="Id">The ingestion's id (its job's).</param>
/// <param name="CollectionId">The collection it writes to.</param>
/// <param name="Kind"><c>rag.ingestion</c> or <c>rag.reembedding</c>.</param>
/// <param name="State"><c>queued</c>, <c>running</c>, <c>paused</c>, <c>completed</c>, <c>failed</c> or <c>cancelled</c>.</param>
/// <param name="DocumentsTotal">The documents it adds, once it has listed them.</param>
/// <param name="DocumentsDone">The documents finished: added, skipped or failed.</param>
/// <param name="DocumentsSkipped">The documents whose content was unchanged (nothing embedded or written).</param>
/// <param name="DocumentsRemoved">The documents deleted by name.</param>
/// <param name="DocumentsFailed">The documents that failed, each with its entry in <paramref name="Errors"/> (the first <see cref="RagIngestions.MaxErrors"/>).</param>
/// <param name="ChunksTotal">The chunks of the documents chunked so far.</param>
/// <param name="ChunksDone">The chunks embedded so far.</param>
/// <param name="BytesDone">The bytes of the documents finished.</param>
/// <param name="Errors">Why documents failed, in the order they did.</param>
/// <param name="Error">Why the ingestion itself failed, when <paramref name="State"/> is <c>failed</c>.</param>
/// <param name="CreatedAt">When it was queued.</param>
/// <param name="StartedAt">When a worker first took it.</param>
/// <param name="FinishedAt">When it completed, failed or was cancelled.</param>
public sealed record IngestionStatus(
    string Id,
    string? CollectionId,
    string Kind,
    string State,
    int DocumentsTotal,
    int DocumentsDone,
    int DocumentsSkipped,
    int DocumentsRemoved,
    int DocumentsFailed,
    long ChunksTotal,
    long ChunksDone,
    long BytesDone,
    IReadOnlyList<IngestionError> Errors,
    JobError? Error,
    DateTimeOffset CreatedAt,
    DateTimeOffset? StartedAt,
    DateTimeOffset? FinishedAt)
{
    /// <summary>Whether it is completed, failed or cancelled: nothing changes it any more.</summary>
    public bool IsFinished => State is "completed" or "failed" or "cancelled";
}
