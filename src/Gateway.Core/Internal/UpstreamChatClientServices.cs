using Gateway.Core.Routing;
using Microsoft.Extensions.AI;

namespace Gateway.Core.Internal;

/// <summary>What every provider client answers to <see cref="IChatClient.GetService"/>: its metadata, its route, itself.</summary>
internal static class UpstreamChatClientServices
{
    public static object? Get(IChatClient client, Type serviceType, object? serviceKey, ChatClientMetadata metadata, ModelRoute route) =>
        serviceType is null ? throw new ArgumentNullException(nameof(serviceType))
        : serviceKey is not null ? null
        : serviceType == typeof(ChatClientMetadata) ? metadata
        : serviceType == typeof(ModelRoute) ? route
        : serviceType.IsInstanceOfType(client) ? client
        : null;
}
