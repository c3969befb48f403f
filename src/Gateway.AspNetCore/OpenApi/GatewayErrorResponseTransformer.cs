using System.Globalization;
using System.Text.Json.Nodes;
using Gateway.AspNetCore.Internal;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.OpenApi;

namespace Gateway.AspNetCore.OpenApi;

/// <summary>
/// Writes each <see cref="GatewayErrorResponse"/> an endpoint and its groups declare as an error response
/// of the operation: the status, an <c>application/problem+json</c> body whose <c>errorCode</c> is one of
/// the declared codes, and on <c>/v1</c> OpenAI's <c>error</c> object beside it.
/// </summary>
internal sealed class GatewayErrorResponseTransformer : IOpenApiOperationTransformer
{
    public Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        var description = context.Description;
        // The document's relative paths have no leading slash.
        var openAI = description.RelativePath?.StartsWith("v1/", StringComparison.Ordinal) == true;
        var byStatus = description.ActionDescriptor.EndpointMetadata
            .OfType<GatewayErrorResponse>()
            .GroupBy(error => error.StatusCode)
            .OrderBy(group => group.Key);
        foreach (var group in byStatus)
        {
            var codes = group.SelectMany(error => error.ErrorCodes).Distinct().Order(StringComparer.Ordinal).ToList();
            operation.Responses ??= [];
            operation.Responses[group.Key.ToString(CultureInfo.InvariantCulture)] = new OpenApiResponse
            {
                Description = $"{ReasonPhrases.GetReasonPhrase(group.Key)}: errorCode {string.Join(", ", codes)}.",
                Content = new Dictionary<string, OpenApiMediaType>
                {
                    ["application/problem+json"] = new() { Schema = ProblemSchema(codes, openAI) },
                },
            };
        }

        return Task.CompletedTask;
    }

    private static OpenApiSchema ProblemSchema(IReadOnlyList<string> errorCodes, bool openAI)
    {
        var properties = new Dictionary<string, IOpenApiSchema>
        {
            ["type"] = Text("urn:gateway:error:<errorCode>"),
            ["title"] = Text("What kind of failure this is."),
            ["status"] = new OpenApiSchema { Type = JsonSchemaType.Integer },
            ["detail"] = Text("What went wrong and how to fix it."),
            ["instance"] = Text("The request path."),
            ["errorCode"] = new OpenApiSchema
            {
                Type = JsonSchemaType.String,
                Description = "Stable error code; one of those this endpoint answers with at this status.",
                Enum = [.. errorCodes.Select(code => (JsonNode)JsonValue.Create(code))],
            },
            ["traceId"] = Text("Identifies the request in the logs and traces."),
        };
        if (openAI)
        {
            properties["error"] = new OpenApiSchema
            {
                Type = JsonSchemaType.Object,
                Description = "OpenAI's error object, for OpenAI clients.",
                Properties = new Dictionary<string, IOpenApiSchema>
                {
                    ["message"] = Text("The detail."),
                    ["type"] = Text("invalid_request_error, authentication_error, permission_error, not_found_error or api_error."),
                    ["code"] = Text("The errorCode."),
                    ["param"] = new OpenApiSchema
                    {
                        Type = JsonSchemaType.String | JsonSchemaType.Null,
                        Description = "The request field at fault (as this endpoint names it), else null.",
                    },
                },
            };
        }

        return new OpenApiSchema
        {
            Type = JsonSchemaType.Object,
            Description = "An RFC 9457 problem.",
            Required = new HashSet<string>(["type", "title", "status", "detail", "errorCode", "traceId"]),
            Properties = properties,
        };
    }

    private static OpenApiSchema Text(string description) => new() { Type = JsonSchemaType.String, Description = description };
}
