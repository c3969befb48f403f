using System.Globalization;

namespace Gateway.Core.Configuration.Internal;

/// <summary>
/// A comma-separated per-route variable, <c>&lt;prefix&gt;&lt;KEY&gt;=a,b,c</c>, that replaces one list of
/// route <c>&lt;key&gt;</c>, whichever form defined the route: <c>MODEL_CAPABILITIES_&lt;KEY&gt;</c> its
/// capabilities, <c>MODEL_FALLBACKS_&lt;KEY&gt;</c> its fallback routes. A key without a route is a typo
/// and is reported.
/// </summary>
internal sealed class RouteListRule(string prefix, string listProperty) : EnvironmentRule
{
    public override void Apply(EnvironmentWriter writer)
    {
        foreach (var (variable, value) in writer.FlatWithPrefix(prefix))
        {
            var key = variable[prefix.Length..];
            var routeKey = $"{GatewayEnvironmentVariables.RoutesKey}:{key}";
            if (key.Length == 0 || !writer.HasUnder(routeKey))
            {
                writer.Problem(routeKey,
                    $"{variable}: no route has the key '{key}'; define MODEL_ROUTE_{key.ToUpperInvariant()} (or Gateway:Routes:{key}) or remove the variable.");
                continue;
            }

            var listKey = $"{routeKey}:{listProperty}";
            writer.RemoveUnder(listKey);
            var names = value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
            for (var i = 0; i < names.Length; i++)
            {
                writer.Set($"{listKey}:{i.ToString(CultureInfo.InvariantCulture)}", names[i], variable);
            }
        }
    }
}
