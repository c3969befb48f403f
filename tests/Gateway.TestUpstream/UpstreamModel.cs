namespace Gateway.TestUpstream;

/// <summary>
/// One model the fake upstream serves, as its catalogue endpoints describe it: Ollama's <c>/api/tags</c>
/// and <c>/api/show</c> and OpenAI's <c>/v1/models</c>. The defaults describe a small Llama quantized Q4_K_M.
/// </summary>
/// <param name="Name">The model id; Ollama lists it with the tag <c>:latest</c> when it has none.</param>
public sealed record UpstreamModel(string Name)
{
    /// <summary>Ollama's <c>details.family</c> and <c>model_info["general.architecture"]</c>.</summary>
    public string Family { get; init; } = "llama";

    /// <summary>Ollama's <c>details.parameter_size</c>.</summary>
    public string ParameterSize { get; init; } = "1.2B";

    /// <summary>Ollama's <c>details.quantization_level</c>.</summary>
    public string QuantizationLevel { get; init; } = "Q4_K_M";

    /// <summary>Ollama's <c>details.format</c>.</summary>
    public string Format { get; init; } = "gguf";

    /// <summary>Ollama's <c>model_info["general.parameter_count"]</c>.</summary>
    public long ParameterCount { get; init; } = 1_235_814_432;

    /// <summary>Ollama's <c>model_info["&lt;family&gt;.context_length"]</c>; <see langword="null"/> leaves it out.</summary>
    public long? ContextLength { get; init; } = 131_072;

    /// <summary>
    /// Ollama's <c>capabilities</c> (<c>completion</c>, <c>tools</c>, <c>vision</c>, <c>embedding</c>, <c>insert</c>,
    /// <c>thinking</c>); <see langword="null"/> leaves the member out, as Ollama before 0.6.4 did.
    /// </summary>
    public IReadOnlyList<string>? Capabilities { get; init; } = ["completion", "tools"];

    /// <summary>OpenAI's <c>owned_by</c>.</summary>
    public string OwnedBy { get; init; } = "test";

    /// <summary>The name with Ollama's default tag, e.g. <c>test-model:latest</c>.</summary>
    public string OllamaName => Name.Contains(':', StringComparison.Ordinal) ? Name : Name + ":latest";
}
