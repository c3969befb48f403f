using System.Text.Json.Serialization;
using Gateway.AspNetCore.Internal;

namespace Gateway.AspNetCore.OpenAI;

/// <summary>The body of <c>POST /v1/embeddings</c>, as OpenAI's API defines it (the fields the gateway honours).</summary>
internal sealed class OpenAIEmbeddingRequest
{
    public string? Model { get; set; }

    /// <summary>One text or an array of texts; OpenAI's token-array inputs are not accepted.</summary>
    [JsonConverter(typeof(StringOrArrayJsonConverter))]
    public List<string>? Input { get; set; }

    /// <summary><c>float</c> (the default) or <c>base64</c>.</summary>
    public string? EncodingFormat { get; set; }

    /// <summary>Accepted only when it equals the model's own dimensions.</summary>
    public int? Dimensions { get; set; }

    /// <summary>OpenAI's end-user id; accepted and ignored.</summary>
    public string? User { get; set; }
}

/// <summary>The answer of <c>POST /v1/embeddings</c>.</summary>
internal sealed record OpenAIEmbeddingList(string Object, IReadOnlyList<OpenAIEmbeddingData> Data, string Model, OpenAIEmbeddingUsage Usage);

/// <summary>One <c>embedding</c> object.</summary>
internal sealed record OpenAIEmbeddingData(string Object, int Index, EmbeddingVector Embedding);

/// <summary>Token counts in OpenAI's naming for embeddings.</summary>
internal sealed record OpenAIEmbeddingUsage(long PromptTokens, long TotalTokens);
