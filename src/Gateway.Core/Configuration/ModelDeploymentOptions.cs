namespace Gateway.Core.Configuration;

/// <summary>
/// One deployment of a route as written in configuration: a server that serves the route's model.
/// Bound from <c>Gateway:Routes:&lt;key&gt;:Deployments:&lt;n&gt;</c>, or parsed from one of the
/// <c>;</c>-separated values of <c>MODEL_ROUTE_&lt;KEY&gt;</c>.
/// </summary>
public sealed class ModelDeploymentOptions
{
    /// <summary>The provider name, as <see cref="ModelRouteOptions.Provider"/>.</summary>
    public string? Provider { get; set; }

    /// <summary>The upstream's base address, as <see cref="ModelRouteOptions.BaseUrl"/>.</summary>
    public string? BaseUrl { get; set; }

    /// <summary>The model id this upstream knows the model by.</summary>
    public string? Model { get; set; }

    /// <summary>The name of the configuration value (normally an environment variable) that holds this upstream's API key.</summary>
    public string? ApiKeyVariable { get; set; }

    /// <summary>This upstream's API key itself. Prefer <see cref="ApiKeyVariable"/> so secrets stay out of files.</summary>
    public string? ApiKey { get; set; }
}
