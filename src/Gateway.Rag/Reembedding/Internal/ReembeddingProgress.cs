using System.Text.Json;

namespace Gateway.Rag.Reembedding.Internal;

/// <summary>
/// A <c>rag.reembedding</c> job's progress, in the shape of an ingestion's (so <c>/api/rag/ingestions/{id}</c> shows
/// both): its chunks are the work, counted as their new vectors are stored; its documents count as done when the swap
/// is. Nothing is skipped, removed or read from files, and a failure fails the whole job, so those stay at zero and empty.
/// </summary>
internal sealed record ReembeddingProgress(
    string CollectionId, string EmbeddingModel, int Dimensions, long DocumentsTotal, long DocumentsDone, long ChunksTotal, long ChunksDone)
{
    public long DocumentsSkipped => 0;

    public long DocumentsRemoved => 0;

    public long BytesDone => 0;

    public IReadOnlyList<JsonElement> Errors => [];

    public JsonElement ToJson() => JsonSerializer.SerializeToElement(this, JsonSerializerOptions.Web);
}
