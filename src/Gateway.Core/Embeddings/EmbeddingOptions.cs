namespace Gateway.Core.Embeddings;

/// <summary>
/// What every embedding request is held to, whichever package serves the model. Bound from the
/// <c>Gateway:Embeddings</c> configuration section, then the flat variables <c>DEFAULT_EMBEDDING_MODEL</c>,
/// <c>EMBEDDING_MAX_INPUTS</c> and <c>EMBEDDING_MAX_INPUT_CHARS</c>, which win; validated at start-up.
/// </summary>
public sealed class EmbeddingOptions
{
    /// <summary>The configuration section the options bind from.</summary>
    public const string SectionName = "Gateway:Embeddings";

    /// <summary>The name of the bundled local model, the default when nothing else is configured.</summary>
    public const string BundledModelName = "all-MiniLM-L6-v2";

    /// <summary>The model used when a request names none (<c>DEFAULT_EMBEDDING_MODEL</c>; default <c>all-MiniLM-L6-v2</c>).</summary>
    public string DefaultModel { get; set; } = BundledModelName;

    /// <summary>The most inputs one request may embed (<c>EMBEDDING_MAX_INPUTS</c>; 1 to 100,000, default 2,048); more is HTTP 413.</summary>
    public int MaxInputs { get; set; } = 2048;

    /// <summary>
    /// The longest input accepted, in characters (<c>EMBEDDING_MAX_INPUT_CHARS</c>; 1 to 10,000,000, default 100,000);
    /// longer is HTTP 400. Inputs within it but over the model's token limit are truncated, as sentence-transformers does.
    /// </summary>
    public int MaxInputCharacters { get; set; } = 100_000;

    /// <summary>
    /// Whether every model's generator records OpenTelemetry GenAI spans and metrics (Microsoft.Extensions.AI's
    /// <c>UseOpenTelemetry()</c>); set by <c>AddOpenTelemetry()</c> on the gateway builder. Default <see langword="false"/>.
    /// </summary>
    public bool OpenTelemetry { get; set; }
}
