namespace Gateway.Core.Models;

/// <summary>Where a route's model lives and where its metadata came from. Never holds credentials.</summary>
/// <param name="Provider">The provider name, e.g. <c>ollama</c>.</param>
/// <param name="EndpointHost">The upstream's host and port (no scheme, path or user info); <see langword="null"/> for a local model.</param>
/// <param name="UpstreamModel">The model id the upstream knows the model by.</param>
/// <param name="MetadataSource">Where the metadata shown came from; see <see cref="ModelMetadataSourceNames"/>.</param>
public sealed record ModelSource(string Provider, string? EndpointHost, string UpstreamModel, string MetadataSource);
