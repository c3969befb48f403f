using Gateway.AspNetCore.OpenApi;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Adds the OpenAPI document of the gateway's HTTP API, which <c>app.MapGatewayOpenApi()</c> serves.</summary>
public static class GatewayOpenApiBuilderExtensions
{
    /// <summary>
    /// Registers OpenAPI document <c>v1</c> (Microsoft.AspNetCore.OpenApi) with the gateway's transformers:
    /// each operation's error responses with their <c>errorCode</c> values, and the OpenAI surface's
    /// snake_case names. The document is built when it is first requested. A host's own
    /// <c>services.AddOpenApi()</c> for <c>v1</c> shares it. Safe to call more than once.
    /// </summary>
    public static IGatewayBuilder AddOpenApi(this IGatewayBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        if (!builder.Services.Any(descriptor => descriptor.ServiceType == typeof(GatewayOpenApiDocument)))
        {
            builder.Services.AddSingleton<GatewayOpenApiDocument>();
            builder.Services.AddOpenApi(GatewayOpenApiDocument.Name, GatewayOpenApiDocument.Configure);
        }

        return builder;
    }
}
