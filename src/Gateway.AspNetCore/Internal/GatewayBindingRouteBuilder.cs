using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Gateway.AspNetCore.Internal;

/// <summary>
/// Maps endpoints with the gateway's own binding settings instead of the host's, for those endpoints
/// only: a body or query value that does not bind throws <see cref="BadHttpRequestException"/> (which
/// <see cref="RequestBindingProblems"/> answers with the gateway's problem) instead of a bare 400, and
/// <c>[FromBody]</c> reads JSON through the package's source-generated context with that context's
/// naming. ASP.NET Core reads both settings from the services of the route builder an endpoint is mapped
/// on; a host-wide <c>RouteHandlerOptions</c> or <c>JsonOptions</c> would change the host's own endpoints too.
/// </summary>
internal sealed class GatewayBindingRouteBuilder : IEndpointRouteBuilder, IServiceProvider, IKeyedServiceProvider
{
    private static readonly IOptions<RouteHandlerOptions> ThrowOnBadRequest =
        Options.Create(new RouteHandlerOptions { ThrowOnBadRequest = true });

    private readonly IEndpointRouteBuilder _outer;
    private readonly IOptions<JsonOptions> _json;

    private GatewayBindingRouteBuilder(IEndpointRouteBuilder outer, JsonSerializerContext context)
    {
        _outer = outer;
        var json = new JsonOptions();
        var serializer = json.SerializerOptions;
        serializer.PropertyNamingPolicy = context.Options.PropertyNamingPolicy;
        serializer.PropertyNameCaseInsensitive = context.Options.PropertyNameCaseInsensitive;
        serializer.NumberHandling = context.Options.NumberHandling;
        serializer.TypeInfoResolver = context;
        _json = Options.Create(json);
    }

    /// <summary>
    /// A group under <paramref name="outer"/> (so its filters and conventions apply) whose endpoints bind
    /// JSON with <paramref name="context"/>'s settings and answer binding failures with problem details.
    /// </summary>
    public static RouteGroupBuilder MapGroup(IEndpointRouteBuilder outer, JsonSerializerContext context)
    {
        // Endpoints are mapped on a group of this builder, never on it directly: each group keeps its
        // own endpoint list, built with the services of the builder it was made from.
        var group = new GatewayBindingRouteBuilder(outer, context).MapGroup(string.Empty);
        ((IEndpointConventionBuilder)group).Finally(RequestBindingProblems.Apply);
        return group;
    }

    IServiceProvider IEndpointRouteBuilder.ServiceProvider => this;

    ICollection<EndpointDataSource> IEndpointRouteBuilder.DataSources => _outer.DataSources;

    IApplicationBuilder IEndpointRouteBuilder.CreateApplicationBuilder() => _outer.CreateApplicationBuilder();

    public object? GetService(Type serviceType) =>
        serviceType == typeof(IOptions<RouteHandlerOptions>) ? ThrowOnBadRequest
        : serviceType == typeof(IOptions<JsonOptions>) ? _json
        : _outer.ServiceProvider.GetService(serviceType);

    public object? GetKeyedService(Type serviceType, object? serviceKey) =>
        (_outer.ServiceProvider as IKeyedServiceProvider)?.GetKeyedService(serviceType, serviceKey);

    public object GetRequiredKeyedService(Type serviceType, object? serviceKey) =>
        _outer.ServiceProvider.GetRequiredKeyedService(serviceType, serviceKey);
}
