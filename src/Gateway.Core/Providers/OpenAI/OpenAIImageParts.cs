using System.Text.Json;
using Gateway.Core.Chat;
using Microsoft.Extensions.AI;

namespace Gateway.Core.Providers.OpenAI;

/// <summary>
/// A message with images goes out with its <c>content</c> as OpenAI's parts, in order: each text as
/// <c>{"type":"text","text"}</c>, each image as <c>{"type":"image_url","image_url":{"url"}}</c> with a
/// <c>data:</c> URL (inline data) or the https URL the client gave.
/// </summary>
internal static class OpenAIImageParts
{
    /// <returns><see langword="false"/>, having written nothing, when the message has no image.</returns>
    public static bool TryWriteContent(Utf8JsonWriter writer, IList<AIContent> contents)
    {
        if (!HasImage(contents))
        {
            return false;
        }

        writer.WriteStartArray("content"u8);
        for (var i = 0; i < contents.Count; i++)
        {
            switch (contents[i])
            {
                case TextContent { Text.Length: > 0 } text:
                    writer.WriteStartObject();
                    writer.WriteString("type"u8, "text"u8);
                    writer.WriteString("text"u8, text.Text);
                    writer.WriteEndObject();
                    break;
                case DataContent data when ChatImageSupport.IsImage(data):
                    WriteImage(writer, data.Uri);
                    break;
                case UriContent uri when ChatImageSupport.IsImage(uri):
                    WriteImage(writer, uri.Uri.AbsoluteUri);
                    break;
            }
        }

        writer.WriteEndArray();
        return true;
    }

    private static bool HasImage(IList<AIContent> contents)
    {
        for (var i = 0; i < contents.Count; i++)
        {
            if (ChatImageSupport.IsImage(contents[i]))
            {
                return true;
            }
        }

        return false;
    }

    private static void WriteImage(Utf8JsonWriter writer, string url)
    {
        writer.WriteStartObject();
        writer.WriteString("type"u8, "image_url"u8);
        writer.WriteStartObject("image_url"u8);
        writer.WriteString("url"u8, url);
        writer.WriteEndObject();
        writer.WriteEndObject();
    }
}
