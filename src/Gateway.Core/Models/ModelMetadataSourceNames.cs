namespace Gateway.Core.Models;

/// <summary>The values of <see cref="ModelMetadataReport.Source"/> and of the <c>source</c> members the gateway shows.</summary>
public static class ModelMetadataSourceNames
{
    /// <summary>Ollama's <c>POST /api/show</c>.</summary>
    public const string OllamaShow = "ollama:/api/show";

    /// <summary>An OpenAI-compatible server's <c>GET /v1/models</c>.</summary>
    public const string OpenAIModels = "openai:/v1/models";

    /// <summary>The route's settings (<c>Gateway:Routes:&lt;key&gt;</c>, <c>MODEL_CAPABILITIES_&lt;KEY&gt;</c>).</summary>
    public const string Configuration = "configuration";

    /// <summary>The provider's defaults: nothing else said anything.</summary>
    public const string Default = "default";
}
