using System.Globalization;

namespace Gateway.Core.Configuration.Internal;

/// <summary>
/// <c>MODEL_CAPABILITIES_&lt;KEY&gt;=chat,streaming,tools</c> replaces the capabilities of route
/// <c>&lt;key&gt;</c>, whichever form defined it; a key without a route is a typo and is reported.
/// </summary>
internal sealed class ModelCapabilitiesRule : EnvironmentRule
{
    public override void Apply(EnvironmentWriter writer)
    {
        foreach (var (variable, value) in writer.FlatWithPrefix(GatewayEnvironmentVariables.ModelCapabilitiesPrefix))
        {
            var key = variable[GatewayEnvironmentVariables.ModelCapabilitiesPrefix.Length..];
            var routeKey = $"{GatewayEnvironmentVariables.RoutesKey}:{key}";
            if (key.Length == 0 || !writer.HasUnder(routeKey))
            {
                writer.Problem(routeKey,
                    $"{variable}: no route has the key '{key}'; define MODEL_ROUTE_{key.ToUpperInvariant()} (or Gateway:Routes:{key}) or remove the variable.");
                continue;
            }

            var capabilitiesKey = $"{routeKey}:{nameof(ModelRouteOptions.Capabilities)}";
            writer.RemoveUnder(capabilitiesKey);
            var names = value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
            for (var i = 0; i < names.Length; i++)
            {
                writer.Set($"{capabilitiesKey}:{i.ToString(CultureInfo.InvariantCulture)}", names[i], variable);
            }
        }
    }
}
