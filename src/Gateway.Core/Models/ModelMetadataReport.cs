namespace Gateway.Core.Models;

/// <summary>What an <see cref="IModelMetadataSource"/> found out about a route's model in one fetch.</summary>
/// <param name="Source">Where it came from, e.g. <c>ollama:/api/show</c>; see <see cref="ModelMetadataSourceNames"/>.</param>
/// <param name="Available">Whether the upstream serves the model.</param>
/// <param name="Reason">Why the model is not available; <see langword="null"/> when it is.</param>
public sealed record ModelMetadataReport(string Source, bool Available, string? Reason = null)
{
    /// <summary>What the model can do, when the upstream says; <see langword="null"/> leaves it to configuration.</summary>
    public ModelCapabilities? Capabilities { get; init; }

    /// <summary>How the model's weights are stored, when the upstream says.</summary>
    public ModelQuantization? Quantization { get; init; }

    /// <summary>The largest context the model supports, in tokens, when the upstream says.</summary>
    public long? ContextLength { get; init; }

    /// <summary>
    /// Anything else worth showing, free-form: a local runtime's execution provider (<c>cpu</c>, <c>cuda</c>),
    /// the upstream's digest, the raw capability names. Keys are camelCase; values are shown as they are.
    /// </summary>
    public IReadOnlyDictionary<string, string> Details { get; init; } = EmptyDetails;

    /// <summary>A report for an upstream that answered but does not serve the model.</summary>
    public static ModelMetadataReport Unavailable(string source, string reason) => new(source, Available: false, reason);

    internal static IReadOnlyDictionary<string, string> EmptyDetails { get; } = new Dictionary<string, string>();
}
