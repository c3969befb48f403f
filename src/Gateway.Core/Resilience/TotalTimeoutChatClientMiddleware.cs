using Gateway.Core.Chat;
using Gateway.Core.Configuration;
using Gateway.Core.Routing;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Options;

namespace Gateway.Core.Resilience;

/// <summary>Puts <see cref="TotalTimeoutChatClient"/> around each route's provider client.</summary>
internal sealed class TotalTimeoutChatClientMiddleware(IOptions<GatewayOptions> options, TimeProvider time) : IChatClientMiddleware
{
    public IChatClient Wrap(IChatClient inner, ModelRoute route) =>
        new TotalTimeoutChatClient(inner, route, TimeSpan.FromSeconds(options.Value.TotalTimeoutSeconds), time);
}
