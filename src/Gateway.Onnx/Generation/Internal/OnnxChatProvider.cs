using Gateway.Core.Providers;
using Gateway.Core.Routing;
using Microsoft.Extensions.AI;

namespace Gateway.Onnx.Generation.Internal;

/// <summary>
/// The <c>onnx</c> provider: <c>MODEL_ROUTE_&lt;KEY&gt;=onnx|&lt;model folder&gt;|&lt;name&gt;</c> runs an ONNX
/// Runtime GenAI model folder in this process.
/// </summary>
internal sealed class OnnxChatProvider(OnnxGenerationModels models) : IChatProvider
{
    public const string ProviderName = "onnx";

    public string Name => ProviderName;

    public string? Validate(ModelRoute route) => GenAIConfigFile.Validate(route.Endpoint);

    public IChatClient CreateClient(ModelRoute route) => new OnnxChatClient(models, route);
}
