using Gateway.Core.Chat;
using Gateway.Core.Routing;
using Microsoft.Extensions.AI;

namespace Gateway.Core.Internal;

/// <summary>What every provider client answers to <see cref="IChatClient.GetService"/>: its metadata, its route, the parameters it honours, itself.</summary>
internal static class UpstreamChatClientServices
{
    public static object? Get(IChatClient client, Type serviceType, object? serviceKey, ChatClientMetadata metadata, ModelRoute route, ChatParameterSupport parameters) =>
        serviceType is null ? throw new ArgumentNullException(nameof(serviceType))
        : serviceKey is not null ? null
        : serviceType == typeof(ChatClientMetadata) ? metadata
        : serviceType == typeof(ModelRoute) ? route
        : serviceType == typeof(ChatParameterSupport) ? parameters
        : serviceType.IsInstanceOfType(client) ? client
        : null;
}
