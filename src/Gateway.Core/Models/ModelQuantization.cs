namespace Gateway.Core.Models;

/// <summary>How a model's weights are stored. Every member is optional: upstreams say what they know.</summary>
/// <param name="Level">The quantization, e.g. <c>Q4_K_M</c>, <c>F16</c>, <c>int4</c>.</param>
/// <param name="ParameterSize">The model's size as its upstream writes it, e.g. <c>8.0B</c>.</param>
/// <param name="Family">The model family, e.g. <c>llama</c>.</param>
/// <param name="Format">The file format, e.g. <c>gguf</c>, <c>onnx</c>.</param>
public sealed record ModelQuantization(string? Level, string? ParameterSize, string? Family, string? Format)
{
    /// <summary>Whether no member is known.</summary>
    public bool IsEmpty => Level is null && ParameterSize is null && Family is null && Format is null;
}
