using System.Text.Json;
using Gateway.AspNetCore.Internal;
using Gateway.Core.Errors;
using Microsoft.Extensions.AI;

namespace Gateway.AspNetCore.OpenAI;

/// <summary>
/// A message's <c>content</c>: a string, or an array of <c>{"type":"text","text"}</c> and
/// <c>{"type":"image_url","image_url":{"url"}}</c> parts (see <see cref="ImageUrls"/>), in their order.
/// </summary>
internal static class OpenAIContentParts
{
    public static IList<AIContent> ToContents(JsonElement content, int index)
    {
        if (content.ValueKind == JsonValueKind.String)
        {
            return [new TextContent(content.GetString())];
        }

        if (content.ValueKind != JsonValueKind.Array)
        {
            throw GatewayException.InvalidField($"messages[{index}].content", "a string or an array of text and image_url parts is required.");
        }

        var contents = new List<AIContent>();
        var p = 0;
        foreach (var part in content.EnumerateArray())
        {
            var field = $"messages[{index}].content[{p++}]";
            switch (TypeOf(part))
            {
                case "text" when part.TryGetProperty("text"u8, out var text) && text.ValueKind == JsonValueKind.String:
                    contents.Add(new TextContent(text.GetString()));
                    break;
                case "image_url":
                    var url = part.TryGetProperty("image_url"u8, out var image) && image.ValueKind == JsonValueKind.Object
                        && image.TryGetProperty("url"u8, out var urlElement) && urlElement.ValueKind == JsonValueKind.String
                            ? urlElement.GetString()
                            : null;
                    contents.Add(ImageUrls.ToContent(url, field + ".image_url.url"));
                    break;
                default:
                    throw GatewayException.InvalidField(field, "only text parts ({\"type\":\"text\",\"text\":…}) and image_url parts ({\"type\":\"image_url\",\"image_url\":{\"url\":…}}) are supported.");
            }
        }

        return contents;
    }

    public static bool HasImages(JsonElement content) =>
        content.ValueKind == JsonValueKind.Array && content.EnumerateArray().Any(IsImagePart);

    public static bool IsImagePart(JsonElement part) => TypeOf(part) == "image_url";

    private static string? TypeOf(JsonElement part) =>
        part.ValueKind == JsonValueKind.Object && part.TryGetProperty("type"u8, out var type) && type.ValueKind == JsonValueKind.String
            ? type.GetString()
            : null;
}
