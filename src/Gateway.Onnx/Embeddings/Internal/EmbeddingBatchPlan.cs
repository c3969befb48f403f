namespace Gateway.Onnx.Embeddings.Internal;

/// <summary>
/// Orders inputs by token count and cuts them into batches, so each batch is padded only to its own
/// longest input and similar lengths travel together. Batches hold at most <c>batchSize</c> inputs and
/// <c>maxBatchTokens</c> cells (rows × padded width); a single input longer than that still gets a batch.
/// </summary>
internal static class EmbeddingBatchPlan
{
    /// <summary>Input indices in ascending token count; ties keep input order.</summary>
    public static int[] Order(IReadOnlyList<int[]> tokens)
    {
        var order = new int[tokens.Count];
        for (var i = 0; i < order.Length; i++)
        {
            order[i] = i;
        }

        // A stable sort keeps equal-length inputs in input order, so runs are reproducible.
        return [.. order.OrderBy(i => tokens[i].Length)];
    }

    /// <summary>How many inputs from <paramref name="start"/> of <paramref name="order"/> form the next batch.</summary>
    public static int NextBatch(IReadOnlyList<int[]> tokens, int[] order, int start, int batchSize, int maxBatchTokens)
    {
        var rows = 1;
        while (start + rows < order.Length
            && rows < batchSize
            && (rows + 1) * tokens[order[start + rows]].Length <= maxBatchTokens)
        {
            rows++;
        }

        return rows;
    }
}
