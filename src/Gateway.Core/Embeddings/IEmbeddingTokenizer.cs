namespace Gateway.Core.Embeddings;

/// <summary>
/// Splits text into an embedding model's tokens, so that text can be cut into pieces the model reads
/// whole. Implementations are thread-safe.
/// </summary>
public interface IEmbeddingTokenizer
{
    /// <summary>The character span of each token of <paramref name="text"/>, in order (special tokens the model adds are not included).</summary>
    IReadOnlyList<Range> GetTokenSpans(string text);
}
