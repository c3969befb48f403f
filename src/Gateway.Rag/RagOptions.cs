namespace Gateway.Rag;

/// <summary>
/// How documents are cut into chunks and how searches rank them. Bound from the <c>Gateway:Rag</c>
/// configuration section, then the flat <c>RAG_*</c> variables, which win; registered by <c>AddRag()</c>
/// and validated at start-up.
/// </summary>
public sealed class RagOptions
{
    /// <summary>The configuration section the options bind from.</summary>
    public const string SectionName = "Gateway:Rag";

    /// <summary>
    /// The most tokens of the embedding model one chunk holds (<c>RAG_CHUNK_TOKENS</c>; 16 to 8192, default 200).
    /// A model that reads fewer tokens per input caps it (all-MiniLM-L6-v2 reads 256, of which 254 are text),
    /// so no chunk is ever truncated when it is embedded.
    /// </summary>
    public int ChunkTokens { get; set; } = 200;

    /// <summary>
    /// The tokens at the end of a chunk that the next chunk repeats, so a sentence cut by a chunk boundary is
    /// found whole in one of them (<c>RAG_CHUNK_OVERLAP_TOKENS</c>; 0 to less than half of <see cref="ChunkTokens"/>, default 40).
    /// </summary>
    public int ChunkOverlapTokens { get; set; } = 40;

    /// <summary>
    /// The constant <c>c</c> of reciprocal rank fusion, which scores a hybrid hit <c>Σ 1/(c + rank)</c> over the
    /// vector and keyword rankings (<c>RAG_RRF_K</c>; 1 to 10000, default 60): larger flattens the advantage of the top ranks.
    /// </summary>
    public int RrfConstant { get; set; } = 60;

    /// <summary>How many hits a search returns when it does not say (<c>RAG_DEFAULT_K</c>; 1 to 200, default 10).</summary>
    public int DefaultK { get; set; } = 10;

    /// <summary>The longest document text accepted, in UTF-16 characters (<c>RAG_MAX_DOCUMENT_CHARS</c>; 1 to 100000000, default 1000000); longer is 413.</summary>
    public int MaxDocumentCharacters { get; set; } = 1_000_000;

    /// <summary>
    /// The largest document file accepted, in bytes (<c>RAG_MAX_DOCUMENT_BYTES</c>; 1 to 1073741824, default 52428800 = 50 MiB);
    /// a larger file is 413 <c>payload_too_large</c>. Its extracted text must also stay within <see cref="MaxDocumentCharacters"/>.
    /// </summary>
    public int MaxDocumentBytes { get; set; } = 52_428_800;
}
