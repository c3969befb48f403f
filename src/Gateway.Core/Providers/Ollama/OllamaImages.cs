using System.Text.Json;
using Gateway.Core.Chat;
using Gateway.Core.Errors;
using Microsoft.Extensions.AI;

namespace Gateway.Core.Providers.Ollama;

/// <summary>
/// A message's images as Ollama's <c>images</c>: the base64 of each inline image. Ollama cannot fetch
/// an image by URL and the gateway fetches nothing, so an https image is refused before anything is sent.
/// </summary>
internal static class OllamaImages
{
    /// <exception cref="GatewayException"><c>invalid_request</c>: an image is a URL, not inline data.</exception>
    public static void Write(Utf8JsonWriter writer, IList<AIContent> contents)
    {
        var wrote = false;
        for (var i = 0; i < contents.Count; i++)
        {
            switch (contents[i])
            {
                case DataContent data when ChatImageSupport.IsImage(data):
                    if (!wrote)
                    {
                        writer.WriteStartArray("images"u8);
                        wrote = true;
                    }

                    writer.WriteStringValue(data.Base64Data.Span);
                    break;
                case UriContent uri when ChatImageSupport.IsImage(uri):
                    throw GatewayException.InvalidField(
                        "image_url",
                        $"an Ollama route takes images only inline, as data: URLs with base64 data; '{uri.Uri.Host}' would have to be fetched, and the gateway fetches nothing.");
            }
        }

        if (wrote)
        {
            writer.WriteEndArray();
        }
    }
}
