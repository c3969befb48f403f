using Gateway.Core.Configuration;

namespace Gateway.Rag;

/// <summary>The flat environment variables of <see cref="RagOptions"/> (see <c>.env.example</c>) and the keys they stand for.</summary>
internal static class RagEnvironmentVariables
{
    public const string ChunkTokens = "RAG_CHUNK_TOKENS";
    public const string ChunkOverlapTokens = "RAG_CHUNK_OVERLAP_TOKENS";
    public const string RrfConstant = "RAG_RRF_K";
    public const string DefaultK = "RAG_DEFAULT_K";
    public const string MaxDocumentCharacters = "RAG_MAX_DOCUMENT_CHARS";
    public const string MaxDocumentBytes = "RAG_MAX_DOCUMENT_BYTES";

    /// <summary>The RAG variables, mapped onto the <c>Gateway:Rag</c> section.</summary>
    public static GatewayEnvironmentMap Map { get; } = new GatewayEnvironmentMap()
        .Number(ChunkTokens, Key(nameof(RagOptions.ChunkTokens)))
        .Number(ChunkOverlapTokens, Key(nameof(RagOptions.ChunkOverlapTokens)))
        .Number(RrfConstant, Key(nameof(RagOptions.RrfConstant)))
        .Number(DefaultK, Key(nameof(RagOptions.DefaultK)))
        .Number(MaxDocumentCharacters, Key(nameof(RagOptions.MaxDocumentCharacters)))
        .Number(MaxDocumentBytes, Key(nameof(RagOptions.MaxDocumentBytes)));

    private static string Key(string property) => $"{RagOptions.SectionName}:{property}";
}
