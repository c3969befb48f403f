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

    /// <summary>Whether the allowlist permits the route's upstream model.</summary>
    public bool IsAllowed(ModelRoute route) => _allowedModels.Count == 0 || _allowedModels.Contains(route.Model);

    /// <summary>The routes whose upstream model id equals <paramref name="model"/> (case-insensitive).</summary>
    public IEnumerable<ModelRoute> ServingModel(string model) =>
        Routes.Where(route => string.Equals(route.Model, model, StringComparison.OrdinalIgnoreCase));

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

        var routes = new List<ModelRoute>();
        foreach (var (name, route) in options.Routes)
        {
            var where = $"Route '{name}' (MODEL_ROUTE_{name.ToUpperInvariant()} or Gateway:Routes:{name})";
            if (!RouteKey.TryParse(name, out var key))
            {
                errors.Add($"{where}: a route key is 1–{RouteKey.MaxLength} letters, digits, '_', '-' or '.'.");
                continue;
            }

            if (string.IsNullOrWhiteSpace(route.Provider) || !byName.TryGetValue(route.Provider, out var provider))
            {
                errors.Add($"{where}: unknown provider '{route.Provider}'. Known providers: {string.Join(", ", byName.Keys.Order())}.");
                continue;
            }

            if (string.IsNullOrWhiteSpace(route.BaseUrl) || string.IsNullOrWhiteSpace(route.Model))
            {
                errors.Add($"{where}: both the base URL (or model folder) and the model id are required.");
                continue;
            }

            var modelRoute = new ModelRoute(key, provider.Name, route.BaseUrl.Trim(), route.Model.Trim(), route.ApiKey);
            if (provider.Validate(modelRoute) is { } problem)
            {
                errors.Add($"{where}: {problem}.");
                continue;
            }

            routes.Add(modelRoute);
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

        var allowed = options.AllowedModels.Where(model => !string.IsNullOrWhiteSpace(model)).Select(model => model.Trim()).ToArray();
        return errors.Count == 0 ? new RouteTable(routes, defaultRoute, allowed) : null;
    }

    private static string Describe(List<ModelRoute> routes) =>
        routes.Count == 0 ? "none" : string.Join(", ", routes.Select(route => route.Key.Value));
}
