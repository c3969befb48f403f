namespace Gateway.Core.Configuration.Internal;

/// <summary>
/// <c>MODEL_ROUTE_&lt;KEY&gt;=&lt;provider&gt;|&lt;base-url or model dir&gt;|&lt;model&gt;[|env:&lt;API_KEY_VAR&gt;]</c>
/// becomes <c>Gateway:Routes:&lt;KEY&gt;:Provider</c>, <c>BaseUrl</c>, <c>Model</c> and <c>ApiKeyVariable</c>.
/// It replaces where a section route of the same key points; what the section says about the model
/// itself (capabilities, quantization, …) stays.
/// </summary>
internal sealed class ModelRouteRule : EnvironmentRule
{
    private static readonly string[] WhereKeys =
        [nameof(ModelRouteOptions.Provider), nameof(ModelRouteOptions.BaseUrl), nameof(ModelRouteOptions.Model),
         nameof(ModelRouteOptions.ApiKeyVariable), nameof(ModelRouteOptions.ApiKey)];

    public override void Apply(EnvironmentWriter writer)
    {
        foreach (var (variable, value) in writer.FlatWithPrefix(GatewayEnvironmentVariables.ModelRoutePrefix))
        {
            var routeKey = $"{GatewayEnvironmentVariables.RoutesKey}:{variable[GatewayEnvironmentVariables.ModelRoutePrefix.Length..]}";
            var parts = value.Split('|', StringSplitOptions.TrimEntries);
            if (parts.Length is < 3 or > 4 || parts[..3].Any(string.IsNullOrEmpty))
            {
                writer.Problem(routeKey, $"{variable}: expected '<provider>|<base-url or model dir>|<model>[|env:<API_KEY_VAR>]', got '{value}'.");
                continue;
            }

            if (parts.Length == 4 && (!parts[3].StartsWith("env:", StringComparison.Ordinal) || parts[3].Length == 4))
            {
                writer.Problem(routeKey,
                    $"{variable}: the fourth part must be 'env:<API_KEY_VAR>' naming the variable that holds the upstream API key, got '{parts[3]}'.");
                continue;
            }

            foreach (var where in WhereKeys)
            {
                writer.RemoveUnder($"{routeKey}:{where}");
            }

            writer.Set($"{routeKey}:{nameof(ModelRouteOptions.Provider)}", parts[0], variable);
            writer.Set($"{routeKey}:{nameof(ModelRouteOptions.BaseUrl)}", parts[1], variable);
            writer.Set($"{routeKey}:{nameof(ModelRouteOptions.Model)}", parts[2], variable);
            if (parts.Length == 4)
            {
                writer.Set($"{routeKey}:{nameof(ModelRouteOptions.ApiKeyVariable)}", parts[3][4..], variable);
            }
        }
    }
}
