using System.Text.Json;
using Gateway.Core.Errors;

namespace Gateway.Rag.Reembedding.Internal;

/// <summary>What a <c>rag.reembedding</c> job is queued with: the collection and the model it moves to.</summary>
internal sealed record ReembeddingPayload(string CollectionId, string EmbeddingModel, int Dimensions)
{
    public JsonElement ToJson() => JsonSerializer.SerializeToElement(this, JsonSerializerOptions.Web);

    /// <summary>The payload of <paramref name="payload"/>; <c>invalid_request</c> when it is not one (a job queued by hand).</summary>
    public static ReembeddingPayload From(JsonElement payload)
    {
        try
        {
            if (payload.Deserialize<ReembeddingPayload>(JsonSerializerOptions.Web) is { CollectionId.Length: > 0, EmbeddingModel.Length: > 0, Dimensions: > 0 } read)
            {
                return read;
            }
        }
        catch (JsonException)
        {
        }

        throw GatewayException.InvalidField("payload", "expected {collectionId, embeddingModel, dimensions}: the collection to re-embed and the model to re-embed it with.");
    }
}
