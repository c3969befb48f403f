using System.ClientModel;
using System.Net;
using System.Text.Json;
using Gateway.AspNetCore.Tests.Infrastructure;
using Gateway.Core.Chat;
using Gateway.Core.Providers;
using Gateway.Core.Routing;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using OpenAI;
using static Gateway.AspNetCore.Tests.Routing.RoutingEndpointTests;

namespace Gateway.AspNetCore.Tests.Chat;

/// <summary>The gateway's own chat API with structured output, the penalties, and a route that cannot honour a parameter.</summary>
public sealed class ChatParameterTests : GatewayFixture
{
    private const string Schema = """{"type":"object","properties":{"city":{"type":"string"}}}""";

    private const string PenaltyRequest = """
        {"modelKey":"main","messages":[{"role":"user","content":"Hi"}],"options":{"presencePenalty":0.5,"seed":3}}
        """;

    private JsonElement UpstreamBody() => JsonDocument.Parse(Assert.Single(Upstream.Requests).Body).RootElement;

    [Fact]
    public async Task Chat_ResponseFormatAndPenaltiesOnOllama_BecomeFormatAndOptions()
    {
        var gateway = await StartGatewayAsync(("MODEL_ROUTE_MAIN", OllamaRoute()));

        using var response = await gateway.Client.PostAsync("api/chat", Json("""
            {"messages":[{"role":"user","content":"Hi"}],"options":{"presencePenalty":0.5,"frequencyPenalty":0.25,
             "responseFormat":{"type":"json","schema":$SCHEMA}}}
            """.Replace("$SCHEMA", Schema)));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = UpstreamBody();
        Assert.True(JsonElement.DeepEquals(JsonDocument.Parse(Schema).RootElement, body.GetProperty("format")));
        Assert.Equal(0.5, body.GetProperty("options").GetProperty("presence_penalty").GetDouble());
        Assert.Equal(0.25, body.GetProperty("options").GetProperty("frequency_penalty").GetDouble());
    }

    [Fact]
    public async Task Chat_StrictSchemaOnOpenAIRoute_BecomesJsonSchemaResponseFormat()
    {
        var gateway = await StartGatewayAsync(("MODEL_ROUTE_MAIN", OpenAIRoute()));

        using var response = await gateway.Client.PostAsync("api/chat", Json("""
            {"messages":[{"role":"user","content":"Hi"}],
             "options":{"responseFormat":{"type":"json","schema":$SCHEMA,"schemaName":"weather","strict":true}}}
            """.Replace("$SCHEMA", Schema)));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var format = UpstreamBody().GetProperty("response_format");
        Assert.Equal("json_schema", format.GetProperty("type").GetString());
        Assert.Equal("weather", format.GetProperty("json_schema").GetProperty("name").GetString());
        Assert.True(format.GetProperty("json_schema").GetProperty("strict").GetBoolean());
    }

    [Fact]
    public async Task Chat_JsonModeOnOpenAIRoute_BecomesJsonObject()
    {
        var gateway = await StartGatewayAsync(("MODEL_ROUTE_MAIN", OpenAIRoute()));

        using var response = await gateway.Client.PostAsync("api/chat", Json("""
            {"messages":[{"role":"user","content":"Hi"}],"options":{"responseFormat":{"type":"json"}}}
            """));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("""{"type":"json_object"}""", UpstreamBody().GetProperty("response_format").GetRawText());
    }

    [Fact]
    public async Task Chat_BadResponseFormatType_Answers400NamingTheField()
    {
        var gateway = await StartGatewayAsync(("MODEL_ROUTE_MAIN", OpenAIRoute()));

        using var response = await gateway.Client.PostAsync("api/chat", Json("""
            {"messages":[{"role":"user","content":"Hi"}],"options":{"responseFormat":{"type":"yaml"}}}
            """));

        var problem = await AssertProblemAsync(response, HttpStatusCode.BadRequest, "invalid_request");
        Assert.Equal("options.responseFormat.type", problem.GetProperty("field").GetString());
    }

    [Theory]
    [InlineData("api/chat")]
    [InlineData("api/chat/stream")]
    public async Task Chat_RouteCannotHonourParameter_Answers400UnsupportedParameter(string path)
    {
        var gateway = await StartGatewayAsync(AddLimitedProvider, ("MODEL_ROUTE_MAIN", LimitedRoute()));

        using var response = await gateway.Client.PostAsync(path, Json(PenaltyRequest));

        var problem = await AssertProblemAsync(response, HttpStatusCode.BadRequest, "unsupported_parameter");
        Assert.Equal("presence_penalty", problem.GetProperty("param").GetString());
        Assert.Contains("'main' (limited)", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.False(problem.TryGetProperty("error", out _));
        Assert.Empty(Upstream.Requests);
    }

    [Theory]
    [InlineData("api/chat")]
    [InlineData("api/chat/stream")]
    public async Task Chat_DropUnsupportedParams_DropsAndNamesItInTheHeader(string path)
    {
        var gateway = await StartGatewayAsync(AddLimitedProvider, ("MODEL_ROUTE_MAIN", LimitedRoute()), ("DROP_UNSUPPORTED_PARAMS", "true"));

        using var response = await gateway.Client.PostAsync(path, Json(PenaltyRequest));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("presence_penalty", Assert.Single(response.Headers.GetValues("X-Gateway-Dropped-Params")));
        var body = UpstreamBody();
        Assert.False(body.TryGetProperty("presence_penalty", out _));
        Assert.Equal(3, body.GetProperty("seed").GetInt64());
    }

    private string LimitedRoute() => $"{LimitedProvider.ProviderName}|{Upstream.OpenAIBaseAddress}|test-model";

    private static void AddLimitedProvider(IGatewayBuilder gateway) =>
        gateway.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IChatProvider, LimitedProvider>());

    /// <summary>An app's own provider, over OpenAI's client, that says it cannot honour presence_penalty.</summary>
    private sealed class LimitedProvider : IChatProvider
    {
        public const string ProviderName = "limited";

        private static readonly ChatParameterSupport Support = new([ChatParameterNames.PresencePenalty], forwardsOtherMembers: false);

        public string Name => ProviderName;

        public string? Validate(ModelRoute route) => null;

        public IChatClient CreateClient(ModelRoute route) => new LimitedClient(
            new OpenAIClient(new ApiKeyCredential("unused"), new OpenAIClientOptions { Endpoint = new Uri(route.Endpoint) })
                .GetChatClient(route.Model).AsIChatClient());

        private sealed class LimitedClient(IChatClient inner) : DelegatingChatClient(inner)
        {
            public override object? GetService(Type serviceType, object? serviceKey = null) =>
                serviceType == typeof(ChatParameterSupport) && serviceKey is null ? Support : base.GetService(serviceType, serviceKey);
        }
    }
}
