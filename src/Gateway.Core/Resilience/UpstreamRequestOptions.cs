using Gateway.Core.Routing;

namespace Gateway.Core.Resilience;

/// <summary>What providers attach to their upstream requests so the HTTP handlers can name the route in errors.</summary>
internal static class UpstreamRequestOptions
{
    public static readonly HttpRequestOptionsKey<ModelRoute> Route = new("Gateway.Route");
}
