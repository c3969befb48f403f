using Gateway.AspNetCore.Internal;
using Gateway.Core.Embeddings;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;

namespace Gateway.AspNetCore.Embeddings;

/// <summary><c>POST /api/embeddings</c>: vectors for one text or many, from a local or registered embedding model.</summary>
internal static class EmbeddingEndpoints
{
    public static void Map(IEndpointRouteBuilder api) =>
        api.MapPost("/api/embeddings", EmbedAsync).WithName("Embeddings").WithTags("Embeddings")
            .Produces<EmbeddingResponseBody>(StatusCodes.Status200OK)
            .ProducesEmbeddingErrors();

    private static async Task<JsonHttpResult<EmbeddingResponseBody>> EmbedAsync(
        [FromBody] EmbeddingRequestBody body, [FromServices] EmbeddingService embeddings, CancellationToken cancellationToken)
    {
        var result = await embeddings.EmbedAsync(body.Model, body.Input, cancellationToken: cancellationToken).ConfigureAwait(false);
        var data = new EmbeddingItemBody[result.Embeddings.Count];
        for (var i = 0; i < data.Length; i++)
        {
            data[i] = new EmbeddingItemBody(i, new EmbeddingVector(result.Embeddings[i].Vector, Base64: false));
        }

        return TypedResults.Json(
            new EmbeddingResponseBody(result.Model.Name, result.Model.Dimensions, data, new EmbeddingUsageBody(result.InputTokens)),
            GatewayJsonContext.Default.EmbeddingResponseBody);
    }
}
