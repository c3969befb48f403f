using Microsoft.AspNetCore.Http;

namespace Gateway.AspNetCore.Internal;

/// <summary>
/// <c>X-Gateway-Dropped-Params</c>: the parameters the gateway left out because the route cannot honour
/// them (with <c>DROP_UNSUPPORTED_PARAMS=true</c>), comma-separated by their OpenAI names, on both APIs.
/// </summary>
internal static class DroppedParametersHeader
{
    public const string Name = "X-Gateway-Dropped-Params";

    public static void Set(HttpResponse response, IReadOnlyList<string> dropped)
    {
        if (dropped.Count > 0)
        {
            response.Headers[Name] = string.Join(',', dropped);
        }
    }
}
