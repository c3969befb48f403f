using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using Env = Gateway.Core.Configuration.GatewayEnvironmentVariables;

namespace Gateway.Core.Configuration;

/// <summary>
/// Reads <see cref="GatewayOptions"/> from configuration: first the <c>Gateway</c> section
/// (appsettings.json form), then the flat variables of the environment form, which win.
/// A value that cannot be read is recorded and reported by <see cref="GatewayOptionsValidator"/>,
/// so start-up lists every problem at once.
/// </summary>
internal sealed class GatewayOptionsSetup(IConfiguration configuration) : IConfigureOptions<GatewayOptions>
{
    public void Configure(GatewayOptions options)
    {
        try
        {
            configuration.GetSection(GatewayOptions.SectionName).Bind(options);
        }
        catch (InvalidOperationException ex)
        {
            // The binder stops at the first value of the wrong type; report it with the others.
            options.ConfigurationErrors.Add($"{GatewayOptions.SectionName} section: {ex.Message}");
        }

        foreach (var entry in configuration.GetChildren())
        {
            if (entry.Key.StartsWith(Env.ModelRoutePrefix, StringComparison.OrdinalIgnoreCase) && entry.Value is not null)
            {
                ReadRoute(options, entry.Key, entry.Key[Env.ModelRoutePrefix.Length..], entry.Value);
            }
        }

        foreach (var entry in configuration.GetChildren())
        {
            if (entry.Key.StartsWith(Env.ModelCapabilitiesPrefix, StringComparison.OrdinalIgnoreCase) && entry.Value is not null)
            {
                ReadCapabilities(options, entry.Key, entry.Key[Env.ModelCapabilitiesPrefix.Length..], entry.Value);
            }
        }

        ReadString(Env.DefaultModelKey, value => options.DefaultModelKey = value);
        ReadString(Env.Database, value => options.Database = value);
        ReadString(Env.RedisUrl, value => options.RedisUrl = value);
        ReadList(Env.AllowedModels, options.AllowedModels);
        ConfigurationNumbers.Read<int>(configuration, Env.ConnectTimeoutSeconds, options.ConfigurationErrors, value => options.ConnectTimeoutSeconds = value);
        ConfigurationNumbers.Read<int>(configuration, Env.ReadTimeoutSeconds, options.ConfigurationErrors, value => options.ReadTimeoutSeconds = value);
        ConfigurationNumbers.Read<int>(configuration, Env.WriteTimeoutSeconds, options.ConfigurationErrors, value => options.WriteTimeoutSeconds = value);
        ConfigurationNumbers.Read<int>(configuration, Env.TotalTimeoutSeconds, options.ConfigurationErrors, value => options.TotalTimeoutSeconds = value);
        ConfigurationNumbers.Read<int>(configuration, Env.UpstreamMaxRetries, options.ConfigurationErrors, value => options.UpstreamMaxRetries = value);
        ConfigurationNumbers.Read<int>(configuration, Env.UpstreamRetryDelayMilliseconds, options.ConfigurationErrors, value => options.UpstreamRetryDelayMilliseconds = value);
        ReadBool(options, Env.UseRedis, value => options.UseRedis = value);
        ConfigurationNumbers.Read<int>(configuration, Env.ModelMetadataRefreshSeconds, options.ConfigurationErrors, value => options.ModelMetadataRefreshSeconds = value);
        ConfigurationNumbers.Read<int>(configuration, Env.ModelLatencyWindowSeconds, options.ConfigurationErrors, value => options.ModelLatencyWindowSeconds = value);
        ConfigurationNumbers.Read<int>(configuration, Env.ModelLatencyMaxSamples, options.ConfigurationErrors, value => options.ModelLatencyMaxSamples = value);

        foreach (var (key, route) in options.Routes)
        {
            ResolveApiKey(options, key, route);
        }
    }

    private void ReadRoute(GatewayOptions options, string variable, string key, string value)
    {
        // <provider>|<base-url or model dir>|<model>[|env:<API_KEY_VAR>]
        var parts = value.Split('|', StringSplitOptions.TrimEntries);
        if (parts.Length is < 3 or > 4 || parts[..3].Any(string.IsNullOrEmpty))
        {
            options.ConfigurationErrors.Add(
                $"{variable}: expected '<provider>|<base-url or model dir>|<model>[|env:<API_KEY_VAR>]', got '{value}'.");
            return;
        }

        var route = new ModelRouteOptions { Provider = parts[0], BaseUrl = parts[1], Model = parts[2] };
        if (parts.Length == 4)
        {
            if (!parts[3].StartsWith("env:", StringComparison.Ordinal) || parts[3].Length == 4)
            {
                options.ConfigurationErrors.Add(
                    $"{variable}: the fourth part must be 'env:<API_KEY_VAR>' naming the variable that holds the upstream API key, got '{parts[3]}'.");
                return;
            }

            route.ApiKeyVariable = parts[3][4..];
        }

        if (options.Routes.TryGetValue(key, out var section))
        {
            // The variable says where the model is; what the section says about the model itself stays.
            foreach (var capability in section.Capabilities)
            {
                route.Capabilities.Add(capability);
            }

            route.Quantization = section.Quantization;
            route.ParameterSize = section.ParameterSize;
            route.Family = section.Family;
            route.Format = section.Format;
            route.ContextLength = section.ContextLength;
        }

        options.Routes[key] = route;
    }

    private static void ReadCapabilities(GatewayOptions options, string variable, string key, string value)
    {
        // Applied after the routes, so it works for routes from either form; a key without a route is a typo.
        if (!options.Routes.TryGetValue(key, out var route))
        {
            options.ConfigurationErrors.Add(
                $"{variable}: no route has the key '{key}'; define MODEL_ROUTE_{key.ToUpperInvariant()} (or Gateway:Routes:{key}) or remove the variable.");
            return;
        }

        route.Capabilities.Clear();
        foreach (var name in value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            route.Capabilities.Add(name);
        }
    }

    private void ResolveApiKey(GatewayOptions options, string key, ModelRouteOptions route)
    {
        if (string.IsNullOrEmpty(route.ApiKeyVariable) || !string.IsNullOrEmpty(route.ApiKey))
        {
            return;
        }

        route.ApiKey = configuration[route.ApiKeyVariable];
        if (string.IsNullOrEmpty(route.ApiKey))
        {
            options.ConfigurationErrors.Add(
                $"Route '{key}': its API key variable '{route.ApiKeyVariable}' is not set. Set it, or remove 'env:{route.ApiKeyVariable}' from the route.");
        }
    }

    private void ReadString(string variable, Action<string> apply)
    {
        if (configuration[variable] is { Length: > 0 } value)
        {
            apply(value.Trim());
        }
    }

    private void ReadList(string variable, IList<string> target)
    {
        if (configuration[variable] is not { } value)
        {
            return;
        }

        target.Clear();
        foreach (var item in value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            target.Add(item);
        }
    }

    private void ReadBool(GatewayOptions options, string variable, Action<bool> apply)
    {
        switch (configuration[variable]?.Trim().ToLowerInvariant())
        {
            case null or "":
                break;
            case "true" or "1" or "yes":
                apply(true);
                break;
            case "false" or "0" or "no":
                apply(false);
                break;
            default:
                options.ConfigurationErrors.Add($"{variable}: expected true or false, got '{configuration[variable]}'.");
                break;
        }
    }
}
