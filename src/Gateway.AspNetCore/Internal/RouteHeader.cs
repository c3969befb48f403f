using System.Runtime.CompilerServices;
using Gateway.Core.Routing;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.AI;

namespace Gateway.AspNetCore.Internal;

/// <summary>
/// <c>X-Gateway-Route</c>: the route that answered, on <c>/api</c> and <c>/v1</c> chat responses — the
/// requested one, or the fallback that answered when every deployment of it failed before the first byte.
/// </summary>
internal static class RouteHeader
{
    public const string Name = "X-Gateway-Route";

    public static void Set(HttpContext context, RouteKey route) => context.Response.Headers[Name] = route.Value;

    /// <summary>
    /// Names <paramref name="route"/> now and, for a route with fallbacks, the route that answered when the
    /// stream's first update arrives: the relay starts the response only then, so the header is still open.
    /// (A heartbeat sent while the routes are still being tried starts it earlier, naming the requested route.)
    /// </summary>
    public static IAsyncEnumerable<ChatResponseUpdate> SetForStream(HttpContext context, ModelRoute route, IAsyncEnumerable<ChatResponseUpdate> stream)
    {
        Set(context, route.Key);
        return route.Fallbacks.Count == 0 ? stream : SetOnFirstUpdateAsync(context, stream, context.RequestAborted);
    }

    private static async IAsyncEnumerable<ChatResponseUpdate> SetOnFirstUpdateAsync(
        HttpContext context, IAsyncEnumerable<ChatResponseUpdate> stream, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var first = true;
        await foreach (var update in stream.WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            if (first)
            {
                first = false;
                if (AnsweringRoute.Get(update) is { } answered && !context.Response.HasStarted)
                {
                    Set(context, answered);
                }
            }

            yield return update;
        }
    }
}
