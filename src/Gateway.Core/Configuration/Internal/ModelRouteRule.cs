using System.Globalization;

namespace Gateway.Core.Configuration.Internal;

/// <summary>
/// <c>MODEL_ROUTE_&lt;KEY&gt;=&lt;provider&gt;|&lt;base-url or model dir&gt;|&lt;model&gt;[|env:&lt;API_KEY_VAR&gt;]</c>
/// becomes <c>Gateway:Routes:&lt;KEY&gt;:Provider</c>, <c>BaseUrl</c>, <c>Model</c> and <c>ApiKeyVariable</c>;
/// several such values separated by <c>;</c> become <c>Gateway:Routes:&lt;KEY&gt;:Deployments:&lt;n&gt;:…</c>,
/// one deployment each. It replaces where a section route of the same key points (either form); what
/// the section says about the model itself (capabilities, quantization, fallbacks, …) stays.
/// </summary>
internal sealed class ModelRouteRule : EnvironmentRule
{
    private const string Expected = "'<provider>|<base-url or model dir>|<model>[|env:<API_KEY_VAR>]'";

    private static readonly string[] WhereKeys =
        [nameof(ModelRouteOptions.Provider), nameof(ModelRouteOptions.BaseUrl), nameof(ModelRouteOptions.Model),
         nameof(ModelRouteOptions.ApiKeyVariable), nameof(ModelRouteOptions.ApiKey), nameof(ModelRouteOptions.Deployments)];

    public override void Apply(EnvironmentWriter writer)
    {
        foreach (var (variable, value) in writer.FlatWithPrefix(GatewayEnvironmentVariables.ModelRoutePrefix))
        {
            var routeKey = $"{GatewayEnvironmentVariables.RoutesKey}:{variable[GatewayEnvironmentVariables.ModelRoutePrefix.Length..]}";
            var values = value.Split(';', StringSplitOptions.TrimEntries);
            var deployments = new List<string[]>(values.Length);
            foreach (var (deployment, index) in values.Select((deployment, index) => (deployment, index)))
            {
                var where = values.Length == 1 ? variable : $"{variable}, deployment {index + 1} of {values.Length}";
                if (Problem(deployment, where) is { } problem)
                {
                    writer.Problem(routeKey, problem);
                }
                else
                {
                    deployments.Add(deployment.Split('|', StringSplitOptions.TrimEntries));
                }
            }

            if (deployments.Count != values.Length)
            {
                continue;
            }

            foreach (var where in WhereKeys)
            {
                writer.RemoveUnder($"{routeKey}:{where}");
            }

            if (deployments.Count == 1)
            {
                Write(writer, routeKey, deployments[0], variable);
                continue;
            }

            for (var i = 0; i < deployments.Count; i++)
            {
                Write(writer, $"{routeKey}:{nameof(ModelRouteOptions.Deployments)}:{i.ToString(CultureInfo.InvariantCulture)}", deployments[i], variable);
            }
        }
    }

    private static string? Problem(string deployment, string where)
    {
        var parts = deployment.Split('|', StringSplitOptions.TrimEntries);
        if (parts.Length is < 3 or > 4 || parts[..3].Any(string.IsNullOrEmpty))
        {
            return $"{where}: expected {Expected}, got '{deployment}'.";
        }

        if (parts.Length == 4 && (!parts[3].StartsWith("env:", StringComparison.Ordinal) || parts[3].Length == 4))
        {
            return $"{where}: the fourth part must be 'env:<API_KEY_VAR>' naming the variable that holds the upstream API key, got '{parts[3]}'.";
        }

        return null;
    }

    private static void Write(EnvironmentWriter writer, string key, string[] parts, string variable)
    {
        writer.Set($"{key}:{nameof(ModelDeploymentOptions.Provider)}", parts[0], variable);
        writer.Set($"{key}:{nameof(ModelDeploymentOptions.BaseUrl)}", parts[1], variable);
        writer.Set($"{key}:{nameof(ModelDeploymentOptions.Model)}", parts[2], variable);
        if (parts.Length == 4)
        {
            writer.Set($"{key}:{nameof(ModelDeploymentOptions.ApiKeyVariable)}", parts[3][4..], variable);
        }
    }
}
