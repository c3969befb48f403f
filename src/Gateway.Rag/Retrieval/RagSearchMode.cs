namespace Gateway.Rag.Retrieval;

/// <summary>How a search ranks chunks.</summary>
public enum RagSearchMode
{
    /// <summary>Both rankings fused by reciprocal rank fusion (the default): finds both paraphrases and exact terms.</summary>
    Hybrid,

    /// <summary>By cosine similarity of the chunk's embedding to the query's.</summary>
    Vector,

    /// <summary>By the chunks' words, ranked like message search (BM25 on SQLite, <c>ts_rank_cd</c> on PostgreSQL); the query is not embedded.</summary>
    Keyword,
}
