using System.Text.Json.Serialization;
using Gateway.AspNetCore.Internal;

namespace Gateway.AspNetCore.Embeddings;

/// <summary>The body of <c>POST /api/embeddings</c>.</summary>
internal sealed class EmbeddingRequestBody
{
    /// <summary>The embedding model; the default (<c>DEFAULT_EMBEDDING_MODEL</c>) when absent.</summary>
    public string? Model { get; set; }

    /// <summary>One text or an array of texts.</summary>
    [JsonConverter(typeof(StringOrArrayJsonConverter))]
    public List<string>? Input { get; set; }
}

/// <summary>The answer of <c>POST /api/embeddings</c>: one vector per input, in input order.</summary>
internal sealed record EmbeddingResponseBody(
    string Model,
    int Dimensions,
    IReadOnlyList<EmbeddingItemBody> Data,
    EmbeddingUsageBody Usage);

/// <summary>The vector of the input at <paramref name="Index"/>.</summary>
internal sealed record EmbeddingItemBody(int Index, EmbeddingVector Embedding);

/// <summary>The tokens the model read over all inputs, after truncation.</summary>
internal sealed record EmbeddingUsageBody(long InputTokens);
