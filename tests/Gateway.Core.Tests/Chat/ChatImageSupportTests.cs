using Gateway.Core.Chat;
using Gateway.Core.Configuration;
using Gateway.Core.Errors;
using Gateway.Core.Routing;
using Microsoft.Extensions.AI;

namespace Gateway.Core.Tests.Chat;

public sealed class ChatImageSupportTests
{
    private static readonly byte[] Png = Convert.FromBase64String("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==");

    private static ModelRoute Route(string provider) =>
        new(RouteKey.TryParse("main", out var key) ? key : default, provider, "http://127.0.0.1:1", "m", null);

    private static List<ChatMessage> WithImages(params AIContent[] images) =>
        [new ChatMessage(ChatRole.User, [new TextContent("What is this?"), .. images])];

    [Fact]
    public void EnsureSupported_ImageOnAnOnnxRoute_IsRefused()
    {
        var support = new ChatImageSupport(catalog: null, new GatewayOptions());

        var error = Assert.Throws<GatewayException>(() => support.EnsureSupported(Route("onnx"), WithImages(new DataContent(Png, "image/png"))));

        Assert.Equal(GatewayErrorCodes.VisionNotSupported, error.ErrorCode);
        Assert.Equal("onnx", error.Extensions["provider"]);
    }

    [Fact]
    public void EnsureSupported_ImageOnAnUpstreamThatSaysNothing_IsForwarded()
    {
        var support = new ChatImageSupport(catalog: null, new GatewayOptions());

        support.EnsureSupported(Route("ollama"), WithImages(new DataContent(Png, "image/png"), new UriContent("https://images.example/a.png", "image/*")));
    }

    [Fact]
    public void EnsureSupported_NoImages_PassesOnAnyRoute()
    {
        var support = new ChatImageSupport(catalog: null, new GatewayOptions { MaxImagesPerRequest = 0 });

        support.EnsureSupported(Route("onnx"), [new ChatMessage(ChatRole.User, "Hi"), new ChatMessage(ChatRole.User, [new DataContent("data:audio/wav;base64,AAAA")])]);
    }

    [Fact]
    public void EnsureSupported_TooManyOrTooLarge_NamesTheLimit()
    {
        var many = new ChatImageSupport(catalog: null, new GatewayOptions { MaxImagesPerRequest = 1 });
        var small = new ChatImageSupport(catalog: null, new GatewayOptions { MaxImageBytes = Png.Length - 1 });
        var image = new DataContent(Png, "image/png");

        var tooMany = Assert.Throws<GatewayException>(() => many.EnsureSupported(Route("openai"), WithImages(image, image)));
        var tooLarge = Assert.Throws<GatewayException>(() => small.EnsureSupported(Route("openai"), WithImages(image)));

        Assert.Equal(GatewayErrorCodes.TooManyImages, tooMany.ErrorCode);
        Assert.Equal(GatewayErrorKind.PayloadTooLarge, tooMany.Kind);
        Assert.Equal(GatewayErrorCodes.ImageTooLarge, tooLarge.ErrorCode);
        Assert.Equal("messages[0].content", tooLarge.Extensions["field"]);
        Assert.Contains("MAX_IMAGE_BYTES", tooLarge.Message, StringComparison.Ordinal);
    }
}
