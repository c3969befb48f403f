namespace Gateway.Core.Routing;

/// <summary>
/// One validated model route: the immutable snapshot a request is served from. The positional members
/// describe the route's first deployment; <see cref="Deployments"/> lists them all.
/// </summary>
/// <param name="Key">The route key clients use.</param>
/// <param name="Provider">The first deployment's provider name, e.g. <c>openai</c> or <c>ollama</c>.</param>
/// <param name="Endpoint">The first deployment's upstream base address, or a model folder for local providers.</param>
/// <param name="Model">The model id the first deployment's upstream knows the model by.</param>
/// <param name="ApiKey">The first deployment's upstream API key, if any. Never shown by any endpoint.</param>
public sealed record ModelRoute(RouteKey Key, string Provider, string Endpoint, string Model, string? ApiKey)
{
    private readonly IReadOnlyList<ModelDeployment>? _deployments;

    /// <summary>
    /// The servers that serve the route, in configuration order; requests spread over the healthy ones.
    /// A route configured with one deployment has exactly the one the positional members describe.
    /// </summary>
    public IReadOnlyList<ModelDeployment> Deployments
    {
        get => _deployments ?? [new ModelDeployment(0, Provider, Endpoint, Model, ApiKey)];
        init => _deployments = value is { Count: > 0 } ? value : null;
    }

    /// <summary>
    /// The routes a turn goes to, in order, when every deployment of this one failed before the first
    /// byte reached the client (<c>MODEL_FALLBACKS_&lt;KEY&gt;</c>).
    /// </summary>
    public IReadOnlyList<RouteKey> Fallbacks { get; init; } = [];

    /// <summary>The route as one deployment sees it: the route's key, the deployment's upstream. Providers build their clients from it.</summary>
    internal ModelRoute ForDeployment(ModelDeployment deployment) =>
        this with
        {
            Provider = deployment.Provider,
            Endpoint = deployment.Endpoint,
            Model = deployment.Model,
            ApiKey = deployment.ApiKey,
            Deployments = [deployment],
        };

    /// <summary>Hides the API keys so a route can be logged safely.</summary>
    public override string ToString() =>
        Deployments.Count == 1 ? $"{Key} → {Provider} {Endpoint} {Model}" : $"{Key} → {string.Join(", ", Deployments)}";
}
