using Gateway.Core.Models;
using Gateway.Core.Providers;
using Gateway.Core.Routing;
using Microsoft.Extensions.Options;
using Env = Gateway.Core.Configuration.GatewayEnvironmentVariables;

namespace Gateway.Core.Configuration;

/// <summary>
/// Checks what the ranges of <see cref="GatewayOptionsSettingsValidator"/> cannot: the routes (shape,
/// provider, address, capabilities, API key variable) and the default route. Both run at start-up and
/// report every problem at once, each naming the setting and what is expected.
/// </summary>
internal sealed class GatewayOptionsValidator(IEnumerable<IChatProvider> providers) : IValidateOptions<GatewayOptions>
{
    public ValidateOptionsResult Validate(string? name, GatewayOptions options)
    {
        var errors = new List<string>();
        RouteTable.TryBuild(options, providers, errors);

        foreach (var (key, route) in options.Routes)
        {
            if (!ModelCapabilities.TryParse(route.Capabilities, out _, out var unknown))
            {
                errors.Add(
                    $"Route '{key}' capabilities ({Env.ModelCapabilitiesPrefix}{key.ToUpperInvariant()} or Gateway:Routes:{key}:Capabilities): "
                    + $"unknown capability '{unknown}'; expected any of {string.Join(", ", ModelCapabilities.Names)}.");
            }

            if (route.ContextLength is < 1)
            {
                errors.Add($"Route '{key}' (Gateway:Routes:{key}:ContextLength): expected a positive number of tokens, got {route.ContextLength}.");
            }

            if (!string.IsNullOrEmpty(route.ApiKeyVariable) && string.IsNullOrEmpty(route.ApiKey))
            {
                errors.Add(
                    $"Route '{key}': its API key variable '{route.ApiKeyVariable}' is not set. Set it, or remove 'env:{route.ApiKeyVariable}' from the route.");
            }

            for (var i = 0; i < route.Deployments.Count; i++)
            {
                var deployment = route.Deployments[i];
                if (!string.IsNullOrEmpty(deployment.ApiKeyVariable) && string.IsNullOrEmpty(deployment.ApiKey))
                {
                    errors.Add(
                        $"Route '{key}' deployment {i + 1} of {route.Deployments.Count}: its API key variable '{deployment.ApiKeyVariable}' is not set. Set it, or remove 'env:{deployment.ApiKeyVariable}' from the deployment.");
                }
            }
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
