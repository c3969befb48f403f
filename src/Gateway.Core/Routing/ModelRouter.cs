using Gateway.Core.Errors;

namespace Gateway.Core.Routing;

/// <summary>
/// Decides which route serves a request and enforces the allowlist. A request that names no model
/// gets the default route, else the only route, else a conflict listing the keys to choose from.
/// </summary>
public sealed class ModelRouter(RouteTable routes)
{
    /// <summary>Resolves a <c>modelKey</c> as sent to <c>/api/chat</c>.</summary>
    /// <exception cref="GatewayException">The key is malformed, unknown, ambiguous or not allowed.</exception>
    public ModelRoute Resolve(string? modelKey)
    {
        if (string.IsNullOrWhiteSpace(modelKey))
        {
            return EnsureAllowed(ResolveUnnamed());
        }

        if (!RouteKey.TryParse(modelKey, out var key))
        {
            throw new GatewayException(
                GatewayErrorKind.InvalidRequest,
                GatewayErrorCodes.InvalidRequest,
                $"modelKey: a route key is 1–{RouteKey.MaxLength} letters, digits, '_', '-' or '.'.",
                new Dictionary<string, object?> { ["field"] = "modelKey", ["availableKeys"] = AvailableKeys() });
        }

        if (!routes.TryGet(key, out var route))
        {
            throw NotFound($"modelKey: no route has the key '{key}'.", "modelKey");
        }

        return EnsureAllowed(route);
    }

    /// <summary>Whether <paramref name="modelKey"/> names a configured route that the allowlist permits.</summary>
    public bool Allows(string? modelKey) =>
        RouteKey.TryParse(modelKey, out var key) && routes.TryGet(key, out var route) && routes.IsAllowed(route);

    /// <summary>
    /// Resolves the <c>model</c> of an OpenAI-compatible request: a route key, or an upstream model id
    /// that exactly one route serves.
    /// </summary>
    /// <exception cref="GatewayException">The name matches nothing, several routes, or a disallowed model.</exception>
    public ModelRoute ResolveModelName(string? model)
    {
        if (string.IsNullOrWhiteSpace(model))
        {
            return EnsureAllowed(ResolveUnnamed());
        }

        if (model.Any(char.IsControl))
        {
            throw new GatewayException(
                GatewayErrorKind.InvalidRequest,
                GatewayErrorCodes.InvalidRequest,
                "model: the model name contains control characters.",
                new Dictionary<string, object?> { ["field"] = "model" });
        }

        if (RouteKey.TryParse(model, out var key) && routes.TryGet(key, out var byKey))
        {
            return EnsureAllowed(byKey);
        }

        var serving = routes.ServingModel(model).ToList();
        return serving.Count switch
        {
            1 => EnsureAllowed(serving[0]),
            0 => throw NotFound($"model: no route has the key or serves the model '{model}'.", "model"),
            _ => throw new GatewayException(
                GatewayErrorKind.Conflict,
                GatewayErrorCodes.RouteAmbiguous,
                $"Several routes serve the model '{model}'; name one of them by its route key: {string.Join(", ", serving.Select(r => r.Key.Value))}.",
                new Dictionary<string, object?> { ["availableKeys"] = serving.Select(r => r.Key.Value).ToArray() }),
        };
    }

    private ModelRoute ResolveUnnamed()
    {
        if (routes.Default is { } defaultRoute)
        {
            return defaultRoute;
        }

        return routes.Routes.Count switch
        {
            1 => routes.Routes[0],
            0 => throw new GatewayException(
                GatewayErrorKind.Conflict,
                GatewayErrorCodes.NoRoutesConfigured,
                "No model route is configured. Add one with MODEL_ROUTE_<KEY>=<provider>|<base-url>|<model>, e.g. MODEL_ROUTE_LOCAL=ollama|http://127.0.0.1:11434|llama3.2.",
                new Dictionary<string, object?> { ["availableKeys"] = Array.Empty<string>() }),
            _ => throw new GatewayException(
                GatewayErrorKind.Conflict,
                GatewayErrorCodes.RouteRequired,
                $"The request names no model and there is no default route: set modelKey to one of {string.Join(", ", AvailableKeys())}, or set DEFAULT_MODEL_KEY.",
                new Dictionary<string, object?> { ["availableKeys"] = AvailableKeys() }),
        };
    }

    private ModelRoute EnsureAllowed(ModelRoute route)
    {
        if (routes.IsAllowed(route))
        {
            return route;
        }

        throw new GatewayException(
            GatewayErrorKind.Forbidden,
            GatewayErrorCodes.ModelNotAllowed,
            $"The route '{route.Key}' serves the model '{route.Model}', which ALLOWED_MODELS does not permit. Allowed models: {string.Join(", ", routes.AllowedModels)}.",
            new Dictionary<string, object?>
            {
                ["modelKey"] = route.Key.Value,
                ["model"] = route.Model,
                ["allowedModels"] = routes.AllowedModels.ToArray(),
            });
    }

    private GatewayException NotFound(string message, string field) => new(
        GatewayErrorKind.NotFound,
        GatewayErrorCodes.RouteNotFound,
        $"{message} Available keys: {(AvailableKeys() is { Length: > 0 } keys ? string.Join(", ", keys) : "none")}.",
        new Dictionary<string, object?> { ["field"] = field, ["availableKeys"] = AvailableKeys() });

    private string[] AvailableKeys() => routes.Routes.Select(route => route.Key.Value).ToArray();
}
