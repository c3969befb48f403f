namespace Gateway.Core.Internal;

/// <summary>Validation shared by the providers that reach their upstream over HTTP.</summary>
internal static class HttpEndpoint
{
    public static string? Validate(string endpoint) =>
        Uri.TryCreate(endpoint, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)
            ? null
            : $"the base URL '{endpoint}' is not an absolute http:// or https:// address";
}
