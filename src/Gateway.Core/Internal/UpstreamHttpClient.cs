namespace Gateway.Core.Internal;

/// <summary>The name of the <see cref="System.Net.Http.IHttpClientFactory"/> client every HTTP provider uses.</summary>
internal static class UpstreamHttpClient
{
    public const string Name = "Gateway.Upstream";
}
