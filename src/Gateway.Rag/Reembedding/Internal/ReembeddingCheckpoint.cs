using System.Text.Json;

namespace Gateway.Rag.Reembedding.Internal;

/// <summary>Where a <c>rag.reembedding</c> job resumes: after the last chunk (by id) whose new vector is stored.</summary>
internal sealed record ReembeddingCheckpoint(string? AfterChunkId)
{
    public JsonElement ToJson() => JsonSerializer.SerializeToElement(this, JsonSerializerOptions.Web);

    /// <summary>The checkpoint a claim found; from the first chunk when there is none, or none readable.</summary>
    public static ReembeddingCheckpoint From(JsonElement? checkpoint)
    {
        try
        {
            return checkpoint?.Deserialize<ReembeddingCheckpoint>(JsonSerializerOptions.Web) ?? new ReembeddingCheckpoint((string?)null);
        }
        catch (JsonException)
        {
            return new ReembeddingCheckpoint((string?)null);
        }
    }
}
