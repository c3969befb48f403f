using System.ClientModel;
using System.Net;
using System.Text.Json;
using Gateway.AspNetCore.Tests.Infrastructure;
using Gateway.TestUpstream;
using OpenAI;
using OpenAI.Chat;
using static Gateway.AspNetCore.Tests.Routing.RoutingEndpointTests;

namespace Gateway.AspNetCore.Tests.OpenAI;

/// <summary>Images in chat requests: forwarded to both providers, refused where the route cannot read them or past the limits.</summary>
public sealed class OpenAIImageTests : GatewayFixture
{
    private const string Png = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==";
    private const string PngUrl = "data:image/png;base64," + Png;

    private static string ImageRequest(params string[] urls) =>
        """{"model":"main","messages":[{"role":"user","content":[{"type":"text","text":"What is this?"}"""
        + string.Concat(urls.Select(url => """,{"type":"image_url","image_url":{"url":""" + JsonSerializer.Serialize(url) + "}}"))
        + "]}]}";

    private JsonElement UpstreamMessage() =>
        JsonDocument.Parse(Assert.Single(Upstream.Requests).Body).RootElement.GetProperty("messages")[0];

    private Task<GatewayTestHost> StartOllamaWithVisionAsync(params (string, string)[] extra)
    {
        Upstream.Models = [new UpstreamModel("test-model") { Capabilities = ["completion", "vision"] }];
        return StartGatewayAsync([("MODEL_ROUTE_MAIN", OllamaRoute()), .. extra]);
    }

    [Fact]
    public async Task ChatCompletions_DataUrlImage_ReachesOpenAIUpstreamAsImageUrlPart()
    {
        var gateway = await StartGatewayAsync(("MODEL_ROUTE_MAIN", OpenAIRoute()));

        using var response = await gateway.Client.PostAsync("v1/chat/completions", Json(ImageRequest(PngUrl)));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var parts = UpstreamMessage().GetProperty("content");
        Assert.Equal("text", parts[0].GetProperty("type").GetString());
        Assert.Equal("What is this?", parts[0].GetProperty("text").GetString());
        Assert.Equal("image_url", parts[1].GetProperty("type").GetString());
        Assert.Equal(PngUrl, parts[1].GetProperty("image_url").GetProperty("url").GetString());
    }

    [Fact]
    public async Task CompleteChat_OfficialClientImageParts_ReachOpenAIUpstreamInOrder()
    {
        var gateway = await StartGatewayAsync(("MODEL_ROUTE_MAIN", OpenAIRoute()));
        var client = new OpenAIClient(new ApiKeyCredential("unused"), new OpenAIClientOptions { Endpoint = new Uri(gateway.BaseAddress, "v1") });

        ChatCompletion completion = await client.GetChatClient("main").CompleteChatAsync(
            new UserChatMessage(
                ChatMessageContentPart.CreateTextPart("Compare"),
                ChatMessageContentPart.CreateImagePart(BinaryData.FromBytes(Convert.FromBase64String(Png)), "image/png"),
                ChatMessageContentPart.CreateImagePart(new Uri("https://images.example/cat.png"))));

        Assert.Equal("Hello, world!", completion.Content[0].Text);
        var parts = UpstreamMessage().GetProperty("content");
        Assert.Equal(3, parts.GetArrayLength());
        Assert.Equal(PngUrl, parts[1].GetProperty("image_url").GetProperty("url").GetString());
        Assert.Equal("https://images.example/cat.png", parts[2].GetProperty("image_url").GetProperty("url").GetString());
    }

    [Fact]
    public async Task ChatCompletions_DataUrlImageOnOllama_BecomesBase64Images()
    {
        var gateway = await StartOllamaWithVisionAsync();

        using var response = await gateway.Client.PostAsync("v1/chat/completions", Json(ImageRequest(PngUrl)));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var message = UpstreamMessage();
        Assert.Equal("What is this?", message.GetProperty("content").GetString());
        Assert.Equal([Png], message.GetProperty("images").EnumerateArray().Select(image => image.GetString()));
    }

    [Fact]
    public async Task Chat_ImagesField_ReachesOllamaAsBase64Images()
    {
        var gateway = await StartOllamaWithVisionAsync();

        using var response = await gateway.Client.PostAsync("api/chat", Json($$"""
            {"messages":[{"role":"user","content":"What is this?","images":["{{PngUrl}}"]}]}
            """));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal([Png], UpstreamMessage().GetProperty("images").EnumerateArray().Select(image => image.GetString()));
    }

    [Fact]
    public async Task ChatCompletions_HttpsImageOnOllama_Answers400SayingTheGatewayFetchesNothing()
    {
        var gateway = await StartOllamaWithVisionAsync();

        using var response = await gateway.Client.PostAsync("v1/chat/completions", Json(ImageRequest("https://images.example/cat.png")));

        var problem = await AssertProblemAsync(response, HttpStatusCode.BadRequest, "invalid_request");
        Assert.Contains("fetches nothing", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Empty(Upstream.Requests);
    }

    [Theory]
    [InlineData("v1/chat/completions")]
    [InlineData("api/chat")]
    public async Task Chat_ImageOnRouteWithoutVision_Answers400VisionNotSupported(string path)
    {
        var gateway = await StartGatewayAsync(("MODEL_ROUTE_MAIN", OpenAIRoute()), ("MODEL_CAPABILITIES_MAIN", "chat,streaming"));
        var body = path.StartsWith("v1", StringComparison.Ordinal)
            ? ImageRequest(PngUrl)
            : $$"""{"messages":[{"role":"user","content":"Hi","images":["{{PngUrl}}"]}]}""";

        using var response = await gateway.Client.PostAsync(path, Json(body));

        var problem = await AssertProblemAsync(response, HttpStatusCode.BadRequest, "vision_not_supported");
        Assert.Equal("main", problem.GetProperty("modelKey").GetString());
        Assert.Contains("MODEL_CAPABILITIES_MAIN", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Empty(Upstream.Requests);
    }

    [Fact]
    public async Task ChatCompletions_ImageOverMaxImageBytes_Answers413NamingTheLimit()
    {
        var gateway = await StartGatewayAsync(("MODEL_ROUTE_MAIN", OpenAIRoute()), ("MAX_IMAGE_BYTES", "1024"));
        var large = "data:image/png;base64," + Convert.ToBase64String(new byte[2000]);

        using var response = await gateway.Client.PostAsync("v1/chat/completions", Json(ImageRequest(large)));

        var problem = await AssertProblemAsync(response, HttpStatusCode.RequestEntityTooLarge, "image_too_large");
        Assert.Equal(1024, problem.GetProperty("limitBytes").GetInt32());
        Assert.Equal(2000, problem.GetProperty("bytes").GetInt32());
        Assert.Contains("MAX_IMAGE_BYTES", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Empty(Upstream.Requests);
    }

    [Fact]
    public async Task ChatCompletions_MoreImagesThanMaxImagesPerRequest_Answers413NamingTheLimit()
    {
        var gateway = await StartGatewayAsync(("MODEL_ROUTE_MAIN", OpenAIRoute()), ("MAX_IMAGES_PER_REQUEST", "2"));

        using var response = await gateway.Client.PostAsync("v1/chat/completions", Json(ImageRequest(PngUrl, PngUrl, PngUrl)));

        var problem = await AssertProblemAsync(response, HttpStatusCode.RequestEntityTooLarge, "too_many_images");
        Assert.Equal(2, problem.GetProperty("limit").GetInt32());
        Assert.Equal(3, problem.GetProperty("count").GetInt32());
        Assert.Contains("MAX_IMAGES_PER_REQUEST", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("http://images.example/cat.png")]
    [InlineData("data:text/plain;base64,aGk=")]
    [InlineData("data:image/png;base64,***")]
    public async Task ChatCompletions_ImageUrlThatIsNotHttpsOrAnImage_Answers400NamingThePart(string url)
    {
        var gateway = await StartGatewayAsync(("MODEL_ROUTE_MAIN", OpenAIRoute()));

        using var response = await gateway.Client.PostAsync("v1/chat/completions", Json(ImageRequest(url)));

        var problem = await AssertProblemAsync(response, HttpStatusCode.BadRequest, "invalid_request");
        Assert.Equal("messages[0].content[1].image_url.url", problem.GetProperty("field").GetString());
    }
}
