namespace Gateway.Core.Routing;

/// <summary>
/// One server that serves a route's model: the route spreads its requests over its deployments and
/// takes one out for a cool-down when it keeps failing.
/// </summary>
/// <param name="Index">The deployment's place in the route's configuration, from 0.</param>
/// <param name="Provider">The provider name, e.g. <c>openai</c> or <c>ollama</c>.</param>
/// <param name="Endpoint">The upstream base address, or a model folder for local providers.</param>
/// <param name="Model">The model id this upstream knows the model by.</param>
/// <param name="ApiKey">The upstream API key, if any. Never shown by any endpoint.</param>
public sealed record ModelDeployment(int Index, string Provider, string Endpoint, string Model, string? ApiKey)
{
    /// <summary>Hides the API key so a deployment can be logged safely.</summary>
    public override string ToString() => $"#{Index + 1} {Provider} {Endpoint} {Model}";
}
