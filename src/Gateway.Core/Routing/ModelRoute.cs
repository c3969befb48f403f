namespace Gateway.Core.Routing;

/// <summary>
/// One validated model route: the immutable snapshot a request is served from.
/// </summary>
/// <param name="Key">The route key clients use.</param>
/// <param name="Provider">The provider name, e.g. <c>openai</c> or <c>ollama</c>.</param>
/// <param name="Endpoint">The upstream base address, or a model folder for local providers.</param>
/// <param name="Model">The model id the upstream knows the model by.</param>
/// <param name="ApiKey">The upstream API key, if any. Never shown by any endpoint.</param>
public sealed record ModelRoute(RouteKey Key, string Provider, string Endpoint, string Model, string? ApiKey)
{
    /// <summary>Hides the API key so a route can be logged safely.</summary>
    public override string ToString() => $"{Key} → {Provider} {Endpoint} {Model}";
}
