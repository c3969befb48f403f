using Gateway.Core.Errors;
using Microsoft.Extensions.AI;

namespace Gateway.AspNetCore.Internal;

/// <summary>
/// An image a request names by URL, as both APIs take it: a <c>data:</c> URL with the image inline
/// (base64) becomes a <see cref="DataContent"/>, an <c>https:</c> URL a <see cref="UriContent"/> that
/// only an upstream that fetches images itself can use — the gateway fetches nothing.
/// </summary>
internal static class ImageUrls
{
    public static AIContent ToContent(string? url, string field)
    {
        if (url is not null && url.StartsWith("data:", StringComparison.OrdinalIgnoreCase))
        {
            DataContent data;
            try
            {
                data = new DataContent(url);
            }
            catch (FormatException)
            {
                throw GatewayException.InvalidField(field, "is not a valid data: URL (data:image/<type>;base64,<data>).");
            }

            return data.HasTopLevelMediaType("image")
                ? data
                : throw GatewayException.InvalidField(field, $"'{data.MediaType}' is not an image type (image/png, image/jpeg, …).");
        }

        if (Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.Scheme == Uri.UriSchemeHttps)
        {
            return new UriContent(uri, "image/*");
        }

        throw GatewayException.InvalidField(field, "must be an https: URL or a data: URL with the image in base64.");
    }
}
