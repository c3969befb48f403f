using System.Text.Json;
using Gateway.AspNetCore.OpenAI;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Gateway.AspNetCore.OpenApi;

/// <summary>
/// Names the OpenAI surface's properties as its wire does (snake_case, <see cref="OpenAIJsonContext"/>):
/// the document describes every type with the host's JSON options, which are camelCase.
/// </summary>
internal sealed class OpenAIPropertyNameTransformer : IOpenApiSchemaTransformer
{
    public Task TransformAsync(OpenApiSchema schema, OpenApiSchemaTransformerContext context, CancellationToken cancellationToken)
    {
        if (IsOpenAIType(context.JsonTypeInfo.Type) && schema.Properties is { Count: > 0 } properties)
        {
            var naming = JsonNamingPolicy.SnakeCaseLower;
            schema.Properties = properties.ToDictionary(property => naming.ConvertName(property.Key), property => property.Value);
            if (schema.Required is { Count: > 0 } required)
            {
                schema.Required = new HashSet<string>(required.Select(naming.ConvertName));
            }
        }

        return Task.CompletedTask;
    }

    /// <summary>A type of the OpenAI surface's namespace or one below it (the Responses API's).</summary>
    private static bool IsOpenAIType(Type type) =>
        type.Namespace is { } name && (name == typeof(OpenAIJsonContext).Namespace || name.StartsWith(typeof(OpenAIJsonContext).Namespace + ".", StringComparison.Ordinal));
}
