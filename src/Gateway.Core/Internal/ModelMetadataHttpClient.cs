namespace Gateway.Core.Internal;

/// <summary>
/// The name of the <see cref="System.Net.Http.IHttpClientFactory"/> client that model metadata sources use:
/// the connect timeout of chat calls, but no retries, because a refresh that fails simply runs again later.
/// </summary>
internal static class ModelMetadataHttpClient
{
    public const string Name = "Gateway.ModelMetadata";
}
