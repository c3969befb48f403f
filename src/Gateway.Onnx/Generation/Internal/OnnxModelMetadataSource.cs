using System.Globalization;
using Gateway.Core.Models;
using Gateway.Core.Routing;
using Microsoft.Extensions.Options;

namespace Gateway.Onnx.Generation.Internal;

/// <summary>
/// What <c>GET /api/models</c> shows for an <c>onnx</c> route: the model's shape from its
/// <c>genai_config.json</c> (read, never loaded for this), and, once a request has loaded the model, the
/// execution provider it really runs on. A folder that is gone or unreadable shows as unavailable.
/// </summary>
internal sealed class OnnxModelMetadataSource(OnnxGenerationModels models, IOptions<OnnxGenerationOptions> options) : IModelMetadataSource
{
    /// <summary>Where the metadata of a local model comes from.</summary>
    public const string SourceName = "onnx:genai_config.json";

    public string Provider => OnnxChatProvider.ProviderName;

    public ModelCapabilities DefaultCapabilities => ModelCapabilities.ChatAndStreaming;

    public ValueTask<ModelMetadataReport> FetchAsync(ModelRoute route, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(route);
        if (GenAIConfigFile.Validate(route.Endpoint) is { } problem)
        {
            return ValueTask.FromResult(ModelMetadataReport.Unavailable(SourceName, problem));
        }

        var config = GenAIConfigFile.Read(route.Endpoint);
        var loaded = models.TryGetLoaded(route.Endpoint);
        var details = new Dictionary<string, string>
        {
            ["runtime"] = "onnxruntime-genai",
            ["modelFolder"] = route.Endpoint,
            ["modelType"] = config.ModelType,
            ["layers"] = Text(config.Layers),
            ["hiddenSize"] = Text(config.HiddenSize),
            ["attentionHeads"] = Text(config.AttentionHeads),
            ["keyValueHeads"] = Text(config.KeyValueHeads),
            ["vocabSize"] = Text(config.VocabSize),
            ["loaded"] = loaded is null ? "false" : "true",
            // The provider a loaded model runs on; before the first request, the one it will ask for.
            ["executionProvider"] = loaded?.Facts.ExecutionProvider ?? ExecutionProviders.TryNormalize(options.Value.ExecutionProvider) ?? options.Value.ExecutionProvider,
        };
        return ValueTask.FromResult(new ModelMetadataReport(SourceName, Available: true)
        {
            Capabilities = ModelCapabilities.ChatAndStreaming,
            Quantization = new ModelQuantization(Level: null, ParameterSize: null, Family: config.ModelType, Format: "onnx"),
            ContextLength = config.ContextLength > 0 ? config.ContextLength : null,
            Details = details,
        });
    }

    private static string Text(int value) => value.ToString(CultureInfo.InvariantCulture);
}
