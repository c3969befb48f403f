using Microsoft.Extensions.AI;

namespace Gateway.Core.Routing;

/// <summary>
/// Which route answered a turn that may have gone to a fallback: the route's client marks its answer
/// (the response, or a stream's first update) when the route has fallbacks. An unmarked answer came
/// from the route that was asked.
/// </summary>
public static class AnsweringRoute
{
    /// <summary>The key of the marker in <see cref="ChatResponse.AdditionalProperties"/> and <see cref="ChatResponseUpdate.AdditionalProperties"/>.</summary>
    public const string PropertyName = "gateway.route";

    /// <summary>The route that answered, when <paramref name="response"/> is marked.</summary>
    public static RouteKey? Get(ChatResponse response)
    {
        ArgumentNullException.ThrowIfNull(response);
        return Read(response.AdditionalProperties);
    }

    /// <summary>The route that answered, when <paramref name="update"/> (a stream's first) is marked.</summary>
    public static RouteKey? Get(ChatResponseUpdate update)
    {
        ArgumentNullException.ThrowIfNull(update);
        return Read(update.AdditionalProperties);
    }

    internal static void Mark(ChatResponse response, RouteKey key) => (response.AdditionalProperties ??= [])[PropertyName] = key.Value;

    internal static void Mark(ChatResponseUpdate update, RouteKey key) => (update.AdditionalProperties ??= [])[PropertyName] = key.Value;

    private static RouteKey? Read(AdditionalPropertiesDictionary? properties) =>
        properties?.TryGetValue(PropertyName, out var value) == true && value is string text && RouteKey.TryParse(text, out var key) ? key : null;
}
