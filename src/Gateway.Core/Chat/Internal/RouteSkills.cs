using Gateway.Core.Models;
using Gateway.Core.Providers;
using Gateway.Core.Routing;

namespace Gateway.Core.Chat.Internal;

/// <summary>
/// Whether a route's model has a skill (tools, vision) that <see cref="ModelMetadataCatalog"/> describes:
/// an <c>openai</c> or <c>ollama</c> route unless its reported or configured capabilities lack it, since the
/// upstream server answers for its model itself; any other provider, such as the in-process <c>onnx</c>
/// runtime, only when its own report names it, since configuration cannot give a runtime a skill.
/// </summary>
internal static class RouteSkills
{
    public static bool Has(ModelMetadataCatalog? catalog, ModelRoute route, Func<ModelCapabilities, bool> skill)
    {
        var metadata = catalog?.Find(route);
        if (!IsRemoteServer(route.Provider))
        {
            return metadata is { CapabilitiesSource: not (ModelMetadataSourceNames.Default or ModelMetadataSourceNames.Configuration) }
                && skill(metadata.Capabilities);
        }

        return metadata is null || metadata.CapabilitiesSource == ModelMetadataSourceNames.Default || skill(metadata.Capabilities);
    }

    private static bool IsRemoteServer(string provider) =>
        string.Equals(provider, ChatProviderNames.OpenAI, StringComparison.OrdinalIgnoreCase)
        || string.Equals(provider, ChatProviderNames.Ollama, StringComparison.OrdinalIgnoreCase);
}
