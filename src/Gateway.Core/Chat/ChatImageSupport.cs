using Gateway.Core.Chat.Internal;
using Gateway.Core.Configuration;
using Gateway.Core.Errors;
using Gateway.Core.Models;
using Gateway.Core.Routing;
using Microsoft.Extensions.AI;

namespace Gateway.Core.Chat;

/// <summary>
/// The rules for images in a chat request (<see cref="DataContent"/> and <see cref="UriContent"/> of an
/// <c>image/*</c> type): at most <c>MAX_IMAGES_PER_REQUEST</c> of them, none larger than
/// <c>MAX_IMAGE_BYTES</c> decoded, and only on a route whose model reads images, as
/// <see cref="ModelMetadataCatalog"/> says: an <c>openai</c> or <c>ollama</c> route unless its reported or
/// configured capabilities lack <c>vision</c>; any other provider, such as the in-process <c>onnx</c>
/// runtime, only when its own report names vision (an <c>onnx</c> route's never does).
/// </summary>
internal sealed class ChatImageSupport(ModelMetadataCatalog? catalog, GatewayOptions options)
{
    /// <exception cref="GatewayException"><c>too_many_images</c> or <c>image_too_large</c> (413) naming the limit, or <c>vision_not_supported</c> (400) naming the route.</exception>
    public void EnsureSupported(ModelRoute route, IReadOnlyList<ChatMessage> messages)
    {
        var count = 0;
        for (var i = 0; i < messages.Count; i++)
        {
            var contents = messages[i].Contents;
            for (var j = 0; j < contents.Count; j++)
            {
                if (!IsImage(contents[j]))
                {
                    continue;
                }

                if (++count > options.MaxImagesPerRequest)
                {
                    throw TooManyImages(count, messages);
                }

                if (contents[j] is DataContent data && data.Data.Length > options.MaxImageBytes)
                {
                    throw TooLarge($"messages[{i}].content", data.Data.Length);
                }
            }
        }

        if (count > 0 && !CanReadImages(route))
        {
            throw new GatewayException(
                GatewayErrorKind.InvalidRequest,
                GatewayErrorCodes.VisionNotSupported,
                $"Route '{route.Key}' ({route.Provider}, model '{route.Model}') cannot read images; send the request without them, "
                    + $"or to a route whose model can (MODEL_CAPABILITIES_{route.Key.Value.ToUpperInvariant()} lists 'vision' when its upstream does not say).",
                new Dictionary<string, object?> { ["modelKey"] = route.Key.Value, ["provider"] = route.Provider });
        }
    }

    /// <summary>Whether <paramref name="route"/> can take <paramref name="messages"/>: they hold no image, or the route's model reads images.</summary>
    public bool CanServe(ModelRoute route, IEnumerable<ChatMessage> messages) =>
        !messages.Any(static message => message.Contents.Any(IsImage)) || CanReadImages(route);

    /// <summary>Whether <paramref name="content"/> is an image: inline data or a URL of an <c>image/*</c> type.</summary>
    public static bool IsImage(AIContent content) => content switch
    {
        DataContent data => data.HasTopLevelMediaType("image"),
        UriContent uri => uri.HasTopLevelMediaType("image"),
        _ => false,
    };

    private GatewayException TooManyImages(int atLeast, IReadOnlyList<ChatMessage> messages)
    {
        var total = messages.Sum(message => message.Contents.Count(IsImage));
        return new GatewayException(
            GatewayErrorKind.PayloadTooLarge,
            GatewayErrorCodes.TooManyImages,
            $"The request has {Math.Max(total, atLeast)} images; at most {options.MaxImagesPerRequest} are accepted (MAX_IMAGES_PER_REQUEST).",
            new Dictionary<string, object?> { ["limit"] = options.MaxImagesPerRequest, ["count"] = Math.Max(total, atLeast) });
    }

    private GatewayException TooLarge(string field, int bytes) => new(
        GatewayErrorKind.PayloadTooLarge,
        GatewayErrorCodes.ImageTooLarge,
        $"{field}: an image of {bytes} bytes is larger than the {options.MaxImageBytes} bytes accepted (MAX_IMAGE_BYTES).",
        new Dictionary<string, object?> { ["field"] = field, ["limitBytes"] = options.MaxImageBytes, ["bytes"] = bytes });

    private bool CanReadImages(ModelRoute route) => RouteSkills.Has(catalog, route, static capabilities => capabilities.Vision);
}
