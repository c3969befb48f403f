using System.ClientModel;
using System.Net;
using Gateway.AspNetCore.Tests.Infrastructure;
using Gateway.AspNetCore.Tests.Profiles;
using OpenAI;

namespace Gateway.AspNetCore.Tests.OpenAI;

/// <summary>GET /v1/models/{id} with the official OpenAI .NET client.</summary>
public sealed class OpenAIModelTests : GatewayFixture
{
    [Fact]
    public async Task GetModel_RouteKey_OfficialClientGetsTheModel()
    {
        var gateway = await StartGatewayAsync(("MODEL_ROUTE_MAIN", OllamaRoute()));

        var model = await ClientOf(gateway).GetOpenAIModelClient().GetModelAsync("main");

        Assert.Equal("main", model.Value.Id);
        Assert.Equal("ollama", model.Value.OwnedBy);
    }

    [Fact]
    public async Task GetModel_Profile_OfficialClientGetsTheProfile()
    {
        var gateway = await StartGatewayWithStorageAsync();
        await ProfileChatTests.CreateProfileAsync(gateway, """{"name":"Writer","modelKey":"main"}""");

        var model = await ClientOf(gateway).GetOpenAIModelClient().GetModelAsync("profile:writer");

        Assert.Equal("profile:Writer", model.Value.Id);
        Assert.Equal("profile", model.Value.OwnedBy);
    }

    [Theory]
    [InlineData("nope")]
    [InlineData("profile:nobody")]
    [InlineData("disallowed")]
    public async Task GetModel_Unknown_Answers404ModelNotFound(string id)
    {
        var gateway = await StartGatewayWithStorageAsync(
            ("MODEL_ROUTE_DISALLOWED", OpenAIRoute("other-model")), ("MODEL_ROUTE_MAIN", OpenAIRoute("ok-model")), ("ALLOWED_MODELS", "ok-model"));

        var error = await Assert.ThrowsAsync<ClientResultException>(() => ClientOf(gateway).GetOpenAIModelClient().GetModelAsync(id));

        Assert.Equal(404, error.Status);
        using var response = await gateway.Client.GetAsync("v1/models/" + Uri.EscapeDataString(id));
        var body = await OpenAIErrorEnvelopeTests.AssertOpenAIErrorAsync(response, HttpStatusCode.NotFound, "model_not_found", "not_found_error");
        Assert.Equal("model", body.GetProperty("param").GetString());
        Assert.Contains(id, body.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("m1,m2", true)]
    [InlineData("m1", false)]
    public async Task GetModel_RouteWithTwoDeployments_IsServedOnlyWhenEveryDeploymentsModelIsAllowed(string allowed, bool served)
    {
        var gateway = await StartGatewayAsync(("MODEL_ROUTE_MAIN", $"{OpenAIRoute("m1")};{OllamaRoute("m2")}"), ("ALLOWED_MODELS", allowed));

        using var response = await gateway.Client.GetAsync("v1/models/main");
        var listed = await gateway.Client.GetStringAsync("v1/models");

        Assert.Equal(served ? HttpStatusCode.OK : HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal(served, listed.Contains("\"id\":\"main\"", StringComparison.Ordinal));
        if (served)
        {
            // owned_by names the first deployment's provider, as the route's positional members do.
            var model = await ClientOf(gateway).GetOpenAIModelClient().GetModelAsync("main");
            Assert.Equal(("main", "openai"), (model.Value.Id, model.Value.OwnedBy));
        }
    }

    private static OpenAIClient ClientOf(GatewayTestHost gateway) =>
        new(new ApiKeyCredential("unused"), new OpenAIClientOptions { Endpoint = new Uri(gateway.BaseAddress, "v1") });
}
