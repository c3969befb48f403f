namespace Gateway.Rag.Retrieval;

/// <summary>How a search ranks chunks.</summary>
public enum RagSearchMode
{
    /// <summary>Both rankings fused by reciprocal rank fusion (the default): finds both paraphrases and exact terms.</summary>
    Hybrid,

    /// <summary>By cosine similarity of the chunk's embedding to the query's.</summary>
    Vector,

    /// <summary>By BM25 over the chunks' words, like message search; the query is not embedded.</summary>
    Keyword,
}
