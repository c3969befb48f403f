using Gateway.AspNetCore.OpenApi;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Microsoft.AspNetCore.Builder;

/// <summary>Maps the OpenAPI document of the gateway's HTTP API.</summary>
public static class GatewayOpenApiEndpointRouteBuilderExtensions
{
    /// <summary>
    /// Maps <c>GET /openapi/v1.json</c>: the OpenAPI 3.1 document of the app's endpoints, the gateway's with
    /// their parameters, request and response bodies, and their error responses (status, problem body and
    /// the <c>errorCode</c> values each can carry). Like <c>/health</c> it needs no API key; protect it with
    /// the returned builder (for example <c>.RequireAuthorization()</c>) where the API's shape is private.
    /// Requires <c>services.AddGateway().AddHttpApi().AddOpenApi()</c>; the last registers the document.
    /// </summary>
    /// <returns>A builder for conventions on the document's endpoint.</returns>
    public static IEndpointConventionBuilder MapGatewayOpenApi(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        if (!endpoints.ServiceProvider.GetRequiredService<IServiceProviderIsService>().IsService(typeof(GatewayOpenApiDocument)))
        {
            throw new InvalidOperationException("MapGatewayOpenApi() needs the document's services: call AddOpenApi() on the gateway builder (services.AddGateway().AddHttpApi().AddOpenApi()).");
        }

        return endpoints.MapOpenApi(GatewayOpenApiDocument.Pattern);
    }
}
