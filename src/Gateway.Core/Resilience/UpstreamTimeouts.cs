using Gateway.Core.Errors;
using Gateway.Core.Routing;
using Env = Gateway.Core.Configuration.GatewayEnvironmentVariables;

namespace Gateway.Core.Resilience;

/// <summary>The one way every upstream timeout is reported: HTTP 504, <c>upstream_timeout</c>, naming the timeout.</summary>
internal static class UpstreamTimeouts
{
    public static GatewayException Exceeded(ModelRoute? route, UpstreamTimeoutKind kind, TimeSpan limit, Exception? inner = null)
    {
        var (setting, what) = kind switch
        {
            UpstreamTimeoutKind.Connect => (Env.ConnectTimeoutSeconds, "did not accept a connection"),
            UpstreamTimeoutKind.Write => (Env.WriteTimeoutSeconds, "did not take the request"),
            UpstreamTimeoutKind.Read => (Env.ReadTimeoutSeconds, "sent nothing"),
            _ => (Env.TotalTimeoutSeconds, "did not finish its answer"),
        };
        var name = kind.ToString().ToLowerInvariant();
        var subject = route is null ? "The upstream" : $"The upstream for route '{route.Key}'";
        return new GatewayException(
            GatewayErrorKind.UpstreamTimeout,
            GatewayErrorCodes.UpstreamTimeout,
            $"{subject} {what} within {setting} ({limit.TotalSeconds:0.###} s): the {name} timeout fired.",
            new Dictionary<string, object?>
            {
                ["modelKey"] = route?.Key.Value,
                ["provider"] = route?.Provider,
                ["timeout"] = name,
            },
            inner);
    }
}
