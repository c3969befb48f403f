using Microsoft.Extensions.Options;

namespace Gateway.Core.Configuration.Internal;

/// <summary>
/// Fills each route's (and each deployment's) <see cref="ModelRouteOptions.ApiKey"/> from the configuration value its
/// <see cref="ModelRouteOptions.ApiKeyVariable"/> names (normally an environment variable), after the
/// app's own settings, so a variable named in code works too. A key set directly wins.
/// </summary>
internal sealed class RouteApiKeyResolver(GatewayConfiguration configuration) : IPostConfigureOptions<GatewayOptions>
{
    public void PostConfigure(string? name, GatewayOptions options)
    {
        foreach (var route in options.Routes.Values)
        {
            if (!string.IsNullOrEmpty(route.ApiKeyVariable) && string.IsNullOrEmpty(route.ApiKey))
            {
                route.ApiKey = configuration.Flat[route.ApiKeyVariable];
            }

            foreach (var deployment in route.Deployments)
            {
                if (!string.IsNullOrEmpty(deployment.ApiKeyVariable) && string.IsNullOrEmpty(deployment.ApiKey))
                {
                    deployment.ApiKey = configuration.Flat[deployment.ApiKeyVariable];
                }
            }
        }
    }
}
