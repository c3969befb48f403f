using Gateway.AspNetCore.Internal;
using Gateway.Core.Embeddings;
using Gateway.Core.Errors;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;

namespace Gateway.AspNetCore.OpenAI;

/// <summary><c>POST /v1/embeddings</c> in OpenAI's format, so OpenAI clients embed with the gateway's models unchanged.</summary>
internal static class OpenAIEmbeddingEndpoints
{
    public static void Map(IEndpointRouteBuilder api) =>
        api.MapPost("/v1/embeddings", EmbedAsync).WithName("OpenAIEmbeddings").WithTags("OpenAI")
            .Produces<OpenAIEmbeddingList>(StatusCodes.Status200OK)
            .ProducesEmbeddingErrors();

    private static async Task<JsonHttpResult<OpenAIEmbeddingList>> EmbedAsync(
        [FromBody] OpenAIEmbeddingRequest request, [FromServices] EmbeddingService embeddings, CancellationToken cancellationToken)
    {
        var base64 = request.EncodingFormat switch
        {
            null or "float" => false,
            "base64" => true,
            _ => throw GatewayException.InvalidField("encoding_format", $"expected float or base64, got '{request.EncodingFormat}'."),
        };

        var result = await embeddings.EmbedAsync(request.Model, request.Input, request.Dimensions, cancellationToken).ConfigureAwait(false);
        var data = new OpenAIEmbeddingData[result.Embeddings.Count];
        for (var i = 0; i < data.Length; i++)
        {
            data[i] = new OpenAIEmbeddingData("embedding", i, new EmbeddingVector(result.Embeddings[i].Vector, base64));
        }

        return TypedResults.Json(
            new OpenAIEmbeddingList("list", data, result.Model.Name, new OpenAIEmbeddingUsage(result.InputTokens, result.InputTokens)),
            OpenAIJsonContext.Default.OpenAIEmbeddingList);
    }
}
