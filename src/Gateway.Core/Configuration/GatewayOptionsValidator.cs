using Gateway.Core.Models;
using Gateway.Core.Providers;
using Gateway.Core.Routing;
using Microsoft.Extensions.Options;
using Env = Gateway.Core.Configuration.GatewayEnvironmentVariables;

namespace Gateway.Core.Configuration;

/// <summary>
/// Checks the whole <see cref="GatewayOptions"/> at start-up and reports every problem at once, each
/// naming the setting and what is expected.
/// </summary>
internal sealed class GatewayOptionsValidator(IEnumerable<IChatProvider> providers) : IValidateOptions<GatewayOptions>
{
    /// <summary>Bounds the latency window's memory: 32 bytes a sample, per route.</summary>
    private const int MaxLatencySamples = 100_000;

    public ValidateOptionsResult Validate(string? name, GatewayOptions options)
    {
        var errors = new List<string>();
        RouteTable.TryBuild(options, providers, errors);

        RequireAtLeast(errors, Env.ConnectTimeoutSeconds, options.ConnectTimeoutSeconds, 1);
        RequireAtLeast(errors, Env.ReadTimeoutSeconds, options.ReadTimeoutSeconds, 1);
        RequireAtLeast(errors, Env.WriteTimeoutSeconds, options.WriteTimeoutSeconds, 1);
        RequireAtLeast(errors, Env.TotalTimeoutSeconds, options.TotalTimeoutSeconds, 1);
        RequireAtLeast(errors, Env.UpstreamMaxRetries, options.UpstreamMaxRetries, 0);
        RequireAtLeast(errors, Env.UpstreamRetryDelayMilliseconds, options.UpstreamRetryDelayMilliseconds, 0);
        RequireAtLeast(errors, Env.ModelMetadataRefreshSeconds, options.ModelMetadataRefreshSeconds, 0);
        RequireAtLeast(errors, Env.ModelLatencyWindowSeconds, options.ModelLatencyWindowSeconds, 1);
        RequireAtLeast(errors, Env.ModelLatencyMaxSamples, options.ModelLatencyMaxSamples, 1);
        if (options.ModelLatencyMaxSamples > MaxLatencySamples)
        {
            errors.Add($"{Env.ModelLatencyMaxSamples}: expected at most {MaxLatencySamples} samples per model, got {options.ModelLatencyMaxSamples}.");
        }

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
        }

        if (options.UpstreamMaxRetries > 10)
        {
            errors.Add($"{Env.UpstreamMaxRetries}: expected at most 10 retries, got {options.UpstreamMaxRetries}.");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    private static void RequireAtLeast(List<string> errors, string variable, long value, long minimum)
    {
        if (value < minimum)
        {
            errors.Add($"{variable}: expected a whole number of at least {minimum}, got {value}.");
        }
    }
}
