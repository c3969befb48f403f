using Gateway.Core.Chat.Internal;
using Gateway.Core.Errors;
using Gateway.Core.Models;
using Gateway.Core.Routing;
using Microsoft.Extensions.AI;

namespace Gateway.Core.Chat;

/// <summary>
/// Refuses a request with tools on a route that cannot call them, rather than letting its tools be
/// dropped silently. What a route can do comes from <see cref="ModelMetadataCatalog"/>:
/// <list type="bullet">
/// <item>capabilities the upstream reported or the route's configuration names (<c>MODEL_CAPABILITIES_&lt;KEY&gt;</c>)
/// without <c>tools</c>: refused;</item>
/// <item>nothing known yet on an <c>openai</c> or <c>ollama</c> route: forwarded, since the upstream server
/// answers for its model itself;</item>
/// <item>any other provider, such as the in-process <c>onnx</c> runtime: refused unless its own report names
/// tools, since nothing downstream would say and configuration cannot give a runtime a skill (an <c>onnx</c>
/// route's report never names tools).</item>
/// </list>
/// Tools sent with <see cref="ChatToolMode.None"/> are never called, so they are not refused.
/// </summary>
internal sealed class ChatToolSupport(ModelMetadataCatalog? catalog)
{
    /// <exception cref="GatewayException"><c>tools_not_supported</c> (400) naming the route.</exception>
    public void EnsureSupported(ModelRoute route, ChatOptions? options)
    {
        if (CanServe(route, options))
        {
            return;
        }

        throw new GatewayException(
            GatewayErrorKind.InvalidRequest,
            GatewayErrorCodes.ToolsNotSupported,
            $"Route '{route.Key}' ({route.Provider}, model '{route.Model}') cannot call tools; send the request without tools, "
                + $"or to a route whose model can (MODEL_CAPABILITIES_{route.Key.Value.ToUpperInvariant()} lists 'tools' when its upstream does not say).",
            new Dictionary<string, object?> { ["modelKey"] = route.Key.Value, ["provider"] = route.Provider });
    }

    /// <summary>Whether <paramref name="route"/> can take a request with <paramref name="options"/>: it asks for no tool call, or the route's model calls tools.</summary>
    public bool CanServe(ModelRoute route, ChatOptions? options) =>
        options?.Tools is not { Count: > 0 } || options.ToolMode is NoneChatToolMode || CanCallTools(route);

    private bool CanCallTools(ModelRoute route) => RouteSkills.Has(catalog, route, static capabilities => capabilities.Tools);
}
