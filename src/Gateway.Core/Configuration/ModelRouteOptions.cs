namespace Gateway.Core.Configuration;

/// <summary>
/// One configured model route as written in configuration: which provider serves it, where, and
/// which upstream model it names — or several such deployments in <see cref="Deployments"/> — and the
/// routes it falls back to. Bound from <c>Gateway:Routes:&lt;key&gt;</c> or parsed from
/// <c>MODEL_ROUTE_&lt;KEY&gt;=&lt;provider&gt;|&lt;base-url&gt;|&lt;model&gt;[|env:&lt;API_KEY_VAR&gt;]</c>
/// (several deployments separated by <c>;</c>) and <c>MODEL_FALLBACKS_&lt;KEY&gt;=&lt;key2&gt;,&lt;key3&gt;</c>.
/// </summary>
public sealed class ModelRouteOptions
{
    /// <summary>The provider name: <c>openai</c> (any OpenAI-compatible server) or <c>ollama</c>.</summary>
    public string? Provider { get; set; }

    /// <summary>
    /// The upstream's base address. For <c>openai</c> this is the OpenAI base URL, which normally ends
    /// in <c>/v1</c> (an address with no path gets <c>/v1</c> appended); for <c>ollama</c> the server root.
    /// </summary>
    public string? BaseUrl { get; set; }

    /// <summary>The model id the upstream knows the model by, e.g. <c>llama3.2:3b</c>.</summary>
    public string? Model { get; set; }

    /// <summary>The name of the configuration value (normally an environment variable) that holds the upstream API key.</summary>
    public string? ApiKeyVariable { get; set; }

    /// <summary>The upstream API key itself. Prefer <see cref="ApiKeyVariable"/> so secrets stay out of files.</summary>
    public string? ApiKey { get; set; }

    /// <summary>
    /// Several servers of the route's model, instead of <see cref="Provider"/>, <see cref="BaseUrl"/> and
    /// <see cref="Model"/>: requests spread over the healthy ones.
    /// </summary>
    public IList<ModelDeploymentOptions> Deployments { get; } = [];

    /// <summary>
    /// Route keys a turn goes to, in order, when every deployment of this route fails before the first
    /// byte reached the client (<c>MODEL_FALLBACKS_&lt;KEY&gt;</c>, comma-separated).
    /// </summary>
    public IList<string> Fallbacks { get; } = [];

    /// <summary>
    /// What the model can do when its upstream does not say: any of <c>chat</c>, <c>streaming</c>,
    /// <c>tools</c>, <c>embeddings</c>, <c>vision</c> (<c>MODEL_CAPABILITIES_&lt;KEY&gt;</c>, comma-separated).
    /// Empty leaves it to the provider's defaults.
    /// </summary>
    public IList<string> Capabilities { get; } = [];

    /// <summary>The quantization, e.g. <c>Q4_K_M</c> or <c>AWQ</c>, when the upstream does not say.</summary>
    public string? Quantization { get; set; }

    /// <summary>The parameter size, e.g. <c>7B</c>, when the upstream does not say.</summary>
    public string? ParameterSize { get; set; }

    /// <summary>The model family, e.g. <c>qwen2</c>, when the upstream does not say.</summary>
    public string? Family { get; set; }

    /// <summary>The weights' format, e.g. <c>gguf</c> or <c>safetensors</c>, when the upstream does not say.</summary>
    public string? Format { get; set; }

    /// <summary>The context length in tokens, when the upstream does not say.</summary>
    public long? ContextLength { get; set; }
}
