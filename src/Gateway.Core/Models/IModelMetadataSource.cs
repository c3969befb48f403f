using Gateway.Core.Routing;

namespace Gateway.Core.Models;

/// <summary>
/// Asks one kind of upstream what it knows about a route's model: whether it serves it, what it can do,
/// how it is quantized. Registered with <c>TryAddEnumerable</c>, one per provider and matched to a route by
/// <see cref="Provider"/>; <see cref="ModelMetadataCatalog"/> calls it from a background refresh, never
/// while a request waits, and caches the answer.
/// </summary>
public interface IModelMetadataSource
{
    /// <summary>The provider name this source describes, as in <see cref="Providers.IChatProvider.Name"/> (case-insensitive).</summary>
    string Provider { get; }

    /// <summary>
    /// What a route of this provider can do when neither the upstream nor the configuration says, e.g.
    /// chat and streaming for a chat server.
    /// </summary>
    ModelCapabilities DefaultCapabilities { get; }

    /// <summary>Fetches what the upstream says about <paramref name="route"/>'s model.</summary>
    /// <returns>
    /// The upstream's answer. An upstream that answers but does not serve the model returns a report with
    /// <see cref="ModelMetadataReport.Available"/> <see langword="false"/> and the reason.
    /// </returns>
    /// <remarks>
    /// Throw (preferably a <see cref="Errors.GatewayException"/> whose message says what failed) when the
    /// upstream cannot be asked at all; the catalog shows the route as unavailable with that message and
    /// keeps the last metadata it had.
    /// </remarks>
    ValueTask<ModelMetadataReport> FetchAsync(ModelRoute route, CancellationToken cancellationToken = default);
}
