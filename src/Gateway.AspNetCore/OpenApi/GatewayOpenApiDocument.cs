using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Gateway.AspNetCore.OpenApi;

/// <summary>
/// The OpenAPI document the gateway registers (<c>AddOpenApi()</c> on the gateway builder) and
/// <c>MapGatewayOpenApi()</c> serves; registered as a service too, so both know it was added.
/// </summary>
internal sealed class GatewayOpenApiDocument
{
    public const string Name = "v1";

    /// <summary>The route of the document: <c>/openapi/v1.json</c>.</summary>
    public const string Pattern = "/openapi/{documentName}.json";

    public static void Configure(OpenApiOptions options)
    {
        options.AddDocumentTransformer((document, _, _) =>
        {
            document.Info = new OpenApiInfo
            {
                Title = "Gateway HTTP API",
                Version = Name,
                Description = "The gateway's own API under /api, the OpenAI-compatible surface under /v1, /health and the metrics. "
                    + "Every error is application/problem+json with a stable errorCode; on /v1 it also carries OpenAI's error object.",
            };
            return Task.CompletedTask;
        });
        options.AddOperationTransformer<GatewayErrorResponseTransformer>();
        options.AddSchemaTransformer<OpenAIPropertyNameTransformer>();
    }
}
