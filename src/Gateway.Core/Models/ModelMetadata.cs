namespace Gateway.Core.Models;

/// <summary>
/// Everything the gateway knows about one route's model at a moment: where it lives, whether its upstream
/// serves it, what it can do and how it is quantized. An immutable snapshot from <see cref="ModelMetadataCatalog"/>.
/// </summary>
/// <param name="Source">Where the model lives and where this metadata came from.</param>
/// <param name="Available">
/// Whether the upstream served the model when last asked; <see langword="null"/> before the first answer,
/// or when the provider has no <see cref="IModelMetadataSource"/>.
/// </param>
/// <param name="UnavailableReason">Why <see cref="Available"/> is <see langword="false"/>.</param>
/// <param name="CheckedAt">When the upstream was last asked; <see langword="null"/> if never.</param>
/// <param name="LastAvailableAt">When the upstream last said it serves the model; <see langword="null"/> if never.</param>
/// <param name="Capabilities">What the model can do.</param>
/// <param name="CapabilitiesSource">Where <see cref="Capabilities"/> came from.</param>
/// <param name="Quantization">How the model is stored, if anything says.</param>
/// <param name="QuantizationSource">Where <see cref="Quantization"/> came from; <see langword="null"/> when it is unknown.</param>
/// <param name="ContextLength">The largest context in tokens, if anything says.</param>
/// <param name="Details">Free-form facts from the upstream or runtime (see <see cref="ModelMetadataReport.Details"/>).</param>
public sealed record ModelMetadata(
    ModelSource Source,
    bool? Available,
    string? UnavailableReason,
    DateTimeOffset? CheckedAt,
    DateTimeOffset? LastAvailableAt,
    ModelCapabilities Capabilities,
    string CapabilitiesSource,
    ModelQuantization? Quantization,
    string? QuantizationSource,
    long? ContextLength,
    IReadOnlyDictionary<string, string> Details);
