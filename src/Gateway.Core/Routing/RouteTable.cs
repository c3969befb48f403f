using System.Diagnostics.CodeAnalysis;
using Gateway.Core.Configuration;
using Gateway.Core.Providers;

namespace Gateway.Core.Routing;

/// <summary>
/// The validated, immutable set of model routes, the default route and the allowlist, built once
/// from <see cref="GatewayOptions"/>.
/// </summary>
public sealed class RouteTable
{
    private readonly Dictionary<RouteKey, ModelRoute> _byKey;
    private readonly HashSet<string> _allowedModels;

    private RouteTable(List<ModelRoute> routes, ModelRoute? defaultRoute, IReadOnlyList<string> allowedModels)
    {
        routes.Sort(static (a, b) => string.CompareOrdinal(a.Key.Value, b.Key.Value));
        Routes = routes;
        _byKey = routes.ToDictionary(route => route.Key);
        Default = defaultRoute;
        AllowedModels = allowedModels;
        _allowedModels = new HashSet<string>(allowedModels, StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>Every route, ordered by key.</summary>
    public IReadOnlyList<ModelRoute> Routes { get; }

    /// <summary>The route named by <c>DEFAULT_MODEL_KEY</c>, if set.</summary>
    public ModelRoute? Default { get; }

    /// <summary>The upstream model ids of <c>ALLOWED_MODELS</c>; empty when every model is allowed.</summary>
    public IReadOnlyList<string> AllowedModels { get; }

    /// <summary>Finds a route by key.</summary>
    public bool TryGet(RouteKey key, [NotNullWhen(true)] out ModelRoute? route) => _byKey.TryGetValue(key, out route);

    /// <summary>Whether the allowlist permits the route's upstream model (every deployment's, when they name different ones).</summary>
    public bool IsAllowed(ModelRoute route) => IsAllowed(route, _allowedModels);

    /// <summary>The routes with a deployment whose upstream model id equals <paramref name="model"/> (case-insensitive).</summary>
    public IEnumerable<ModelRoute> ServingModel(string model) =>
        Routes.Where(route => route.Deployments.Any(deployment => string.Equals(deployment.Model, model, StringComparison.OrdinalIgnoreCase)));

    /// <summary>
    /// Builds the table, or lists every problem with the options. Used both by validation at start-up
    /// and to create the table, so the two can never disagree.
    /// </summary>
    internal static RouteTable? TryBuild(GatewayOptions options, IEnumerable<IChatProvider> providers, List<string> errors)
    {
        var byName = new Dictionary<string, IChatProvider>(StringComparer.OrdinalIgnoreCase);
        foreach (var provider in providers)
        {
            byName.TryAdd(provider.Name, provider);
        }

        var allowed = options.AllowedModels.Where(model => !string.IsNullOrWhiteSpace(model)).Select(model => model.Trim()).ToArray();
        var allowedModels = new HashSet<string>(allowed, StringComparer.OrdinalIgnoreCase);
        var routes = new List<ModelRoute>();
        foreach (var (name, route) in options.Routes)
        {
            var where = $"Route '{name}' (MODEL_ROUTE_{name.ToUpperInvariant()} or Gateway:Routes:{name})";
            if (!RouteKey.TryParse(name, out var key))
            {
                errors.Add($"{where}: a route key is 1–{RouteKey.MaxLength} letters, digits, '_', '-' or '.'.");
                continue;
            }

            if (TryBuildDeployments(key, name, where, route, byName, errors) is { } deployments)
            {
                var first = deployments[0];
                routes.Add(new ModelRoute(key, first.Provider, first.Endpoint, first.Model, first.ApiKey)
                {
                    Deployments = deployments.Count > 1 ? deployments : [],
                });
            }
        }

        for (var i = 0; i < routes.Count; i++)
        {
            var name = routes[i].Key.Value;
            var fallbacks = TryBuildFallbacks(routes[i], options.Routes[name].Fallbacks, routes, allowedModels, errors);
            routes[i] = routes[i] with { Fallbacks = fallbacks };
        }

        ModelRoute? defaultRoute = null;
        if (!string.IsNullOrWhiteSpace(options.DefaultModelKey))
        {
            defaultRoute = RouteKey.TryParse(options.DefaultModelKey.Trim(), out var defaultKey)
                ? routes.Find(route => route.Key == defaultKey)
                : null;
            if (defaultRoute is null)
            {
                errors.Add(
                    $"DEFAULT_MODEL_KEY: '{options.DefaultModelKey}' names no route. Configured routes: {Describe(routes)}.");
            }
        }

        return errors.Count == 0 ? new RouteTable(routes, defaultRoute, allowed) : null;
    }

    /// <summary>The route's deployments: its own provider, base URL and model, or its <c>Deployments</c> list; never both.</summary>
    private static List<ModelDeployment>? TryBuildDeployments(
        RouteKey key, string name, string where, ModelRouteOptions route, Dictionary<string, IChatProvider> providers, List<string> errors)
    {
        var single = route.Provider is not null || route.BaseUrl is not null || route.Model is not null;
        if (single && route.Deployments.Count > 0)
        {
            errors.Add($"{where}: give either Provider, BaseUrl and Model or a Deployments list, not both.");
            return null;
        }

        var configured = single || route.Deployments.Count == 0
            ? [new ModelDeploymentOptions { Provider = route.Provider, BaseUrl = route.BaseUrl, Model = route.Model, ApiKey = route.ApiKey }]
            : route.Deployments;
        var deployments = new List<ModelDeployment>(configured.Count);
        for (var i = 0; i < configured.Count; i++)
        {
            var deployment = configured[i];
            var at = configured.Count == 1
                ? where
                : $"Route '{name}' deployment {i + 1} of {configured.Count} (MODEL_ROUTE_{name.ToUpperInvariant()} value {i + 1} or Gateway:Routes:{name}:Deployments:{i})";
            if (string.IsNullOrWhiteSpace(deployment.Provider) || !providers.TryGetValue(deployment.Provider, out var provider))
            {
                errors.Add($"{at}: unknown provider '{deployment.Provider}'. Known providers: {string.Join(", ", providers.Keys.Order())}.");
                continue;
            }

            if (string.IsNullOrWhiteSpace(deployment.BaseUrl) || string.IsNullOrWhiteSpace(deployment.Model))
            {
                errors.Add($"{at}: both the base URL (or model folder) and the model id are required.");
                continue;
            }

            var built = new ModelDeployment(i, provider.Name, deployment.BaseUrl.Trim(), deployment.Model.Trim(), deployment.ApiKey);
            var view = new ModelRoute(key, built.Provider, built.Endpoint, built.Model, built.ApiKey);
            if (provider.Validate(view) is { } problem)
            {
                errors.Add($"{at}: {problem}.");
                continue;
            }

            deployments.Add(built);
        }

        return deployments.Count == configured.Count ? deployments : null;
    }

    /// <summary>The route's fallbacks: configured, allowed routes other than itself, each named once.</summary>
    private static RouteKey[] TryBuildFallbacks(
        ModelRoute route, IList<string> names, List<ModelRoute> routes, HashSet<string> allowedModels, List<string> errors)
    {
        var where = $"Route '{route.Key}' fallbacks ({GatewayEnvironmentVariables.ModelFallbacksPrefix}{route.Key.Value.ToUpperInvariant()} or Gateway:Routes:{route.Key}:Fallbacks)";
        var fallbacks = new List<RouteKey>(names.Count);
        foreach (var name in names)
        {
            var target = RouteKey.TryParse(name?.Trim(), out var key) ? routes.Find(candidate => candidate.Key == key) : null;
            if (target is null)
            {
                errors.Add($"{where}: '{name}' names no route. Configured routes: {Describe(routes)}.");
            }
            else if (key == route.Key)
            {
                errors.Add($"{where}: a route cannot fall back to itself; name other routes.");
            }
            else if (fallbacks.Contains(key))
            {
                errors.Add($"{where}: '{name}' is named twice.");
            }
            else if (!IsAllowed(target, allowedModels))
            {
                errors.Add($"{where}: the route '{key}' serves a model ALLOWED_MODELS does not permit, so it could never answer.");
            }
            else
            {
                fallbacks.Add(key);
            }
        }

        return [.. fallbacks];
    }

    private static bool IsAllowed(ModelRoute route, HashSet<string> allowed) =>
        allowed.Count == 0 || route.Deployments.All(deployment => allowed.Contains(deployment.Model));

    private static string Describe(List<ModelRoute> routes) =>
        routes.Count == 0 ? "none" : string.Join(", ", routes.Select(route => route.Key.Value));
}
