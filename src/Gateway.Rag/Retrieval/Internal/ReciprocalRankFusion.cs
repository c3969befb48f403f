using Gateway.Core.Storage.Rag;

namespace Gateway.Rag.Retrieval.Internal;

/// <summary>
/// Reciprocal rank fusion (Cormack, Clarke and Büttcher, 2009): a chunk scores <c>Σ 1/(c + rank)</c> over
/// the rankings it appears in, ranks counted from 1, so agreement between the vector and the keyword
/// ranking wins over a high place in one of them, and the two scales never need to be compared.
/// </summary>
internal static class ReciprocalRankFusion
{
    /// <summary>The best <paramref name="k"/> chunks of both rankings, best first (ties by chunk id).</summary>
    /// <param name="vector">The vector ranking, best first, each with its cosine similarity.</param>
    /// <param name="keyword">The keyword ranking, best first, each with its keyword score and the cosine similarity of its chunk.</param>
    /// <param name="constant">The constant <c>c</c>.</param>
    /// <param name="k">How many to keep.</param>
    public static IReadOnlyList<RagSearchHit> Fuse(
        IReadOnlyList<ChunkSearchHit> vector, IReadOnlyList<(ChunkSearchHit Hit, double VectorScore)> keyword, int constant, int k)
    {
        var fused = new Dictionary<string, RagSearchHit>(vector.Count + keyword.Count, StringComparer.Ordinal);
        for (var rank = 0; rank < vector.Count; rank++)
        {
            var hit = vector[rank];
            fused[hit.Chunk.Id] = new RagSearchHit(hit.Chunk, hit.DocumentName, Contribution(constant, rank), hit.Score, null);
        }

        for (var rank = 0; rank < keyword.Count; rank++)
        {
            var (hit, vectorScore) = keyword[rank];
            var contribution = Contribution(constant, rank);
            fused[hit.Chunk.Id] = fused.TryGetValue(hit.Chunk.Id, out var found)
                ? found with { Score = found.Score + contribution, KeywordScore = hit.Score }
                : new RagSearchHit(hit.Chunk, hit.DocumentName, contribution, vectorScore, hit.Score);
        }

        return [.. fused.Values
            .OrderByDescending(hit => hit.Score)
            .ThenBy(hit => hit.Chunk.Id, StringComparer.Ordinal)
            .Take(k)];
    }

    private static double Contribution(int constant, int rank) => 1.0 / (constant + rank + 1);
}
