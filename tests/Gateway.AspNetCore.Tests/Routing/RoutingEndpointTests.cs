using System.Net;
using System.Text.Json;
using Gateway.AspNetCore.Tests.Infrastructure;

namespace Gateway.AspNetCore.Tests.Routing;

public sealed class RoutingEndpointTests : GatewayFixture
{
    [Fact]
    public async Task Chat_NamedKeyInAnyCase_UsesThatRoute()
    {
        var gateway = await StartGatewayAsync(("MODEL_ROUTE_Fast", OpenAIRoute("fast-model")), ("MODEL_ROUTE_SMART", OpenAIRoute("smart-model")));

        using var response = await gateway.Client.PostAsync("api/chat", Json("""{"modelKey":"SMART","messages":[{"role":"user","content":"Hi"}]}"""));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("smart", body.RootElement.GetProperty("modelKey").GetString());
        Assert.Contains("smart-model", Assert.Single(Upstream.Requests).Body);
    }

    [Fact]
    public async Task Chat_NoKeyWithDefault_UsesDefaultRoute()
    {
        var gateway = await StartGatewayAsync(
            ("MODEL_ROUTE_A", OpenAIRoute("model-a")), ("MODEL_ROUTE_B", OpenAIRoute("model-b")), ("DEFAULT_MODEL_KEY", "b"));

        using var response = await gateway.Client.PostAsync("api/chat", Json(HelloMessages));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("model-b", Assert.Single(Upstream.Requests).Body);
    }

    [Fact]
    public async Task Chat_NoKeySingleRoute_UsesTheOnlyRoute()
    {
        var gateway = await StartGatewayAsync(("MODEL_ROUTE_ONLY", OllamaRoute("only-model")));

        using var response = await gateway.Client.PostAsync("api/chat", Json(HelloMessages));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("only-model", Assert.Single(Upstream.Requests).Body);
    }

    [Fact]
    public async Task Chat_NoKeySeveralRoutesNoDefault_Answers409ListingKeys()
    {
        var gateway = await StartGatewayAsync(("MODEL_ROUTE_A", OpenAIRoute()), ("MODEL_ROUTE_B", OpenAIRoute()));

        using var response = await gateway.Client.PostAsync("api/chat", Json(HelloMessages));

        var problem = await AssertProblemAsync(response, HttpStatusCode.Conflict, "route_required");
        Assert.Equal(["a", "b"], problem.GetProperty("availableKeys").EnumerateArray().Select(k => k.GetString()));
        Assert.Empty(Upstream.Requests);
    }

    [Fact]
    public async Task Chat_NoRoutesAtAll_Answers409SayingHowToAddOne()
    {
        var gateway = await StartGatewayAsync();

        using var response = await gateway.Client.PostAsync("api/chat", Json(HelloMessages));

        var problem = await AssertProblemAsync(response, HttpStatusCode.Conflict, "no_routes_configured");
        Assert.Contains("MODEL_ROUTE_", problem.GetProperty("detail").GetString());
    }

    [Theory]
    [InlineData("api/chat", """{"modelKey":"local","messages":[{"role":"user","content":"Hi"}]}""")]
    [InlineData("v1/chat/completions", """{"model":"local","messages":[{"role":"user","content":"Hi"}]}""")]
    public async Task Chat_NoRoutesAtAllButModelNamed_Answers404WithNoKeys(string path, string body)
    {
        var gateway = await StartGatewayAsync();

        using var response = await gateway.Client.PostAsync(path, Json(body));

        var problem = await AssertProblemAsync(response, HttpStatusCode.NotFound, "route_not_found");
        Assert.Empty(problem.GetProperty("availableKeys").EnumerateArray());
    }

    [Fact]
    public async Task Chat_UnknownKey_Answers404ListingKeys()
    {
        var gateway = await StartGatewayAsync(("MODEL_ROUTE_A", OpenAIRoute()));

        using var response = await gateway.Client.PostAsync("api/chat", Json("""{"modelKey":"nope","messages":[{"role":"user","content":"Hi"}]}"""));

        var problem = await AssertProblemAsync(response, HttpStatusCode.NotFound, "route_not_found");
        Assert.Equal(["a"], problem.GetProperty("availableKeys").EnumerateArray().Select(k => k.GetString()));
    }

    [Fact]
    public async Task Chat_ModelOutsideAllowlist_Answers403NamingAllowedModels()
    {
        var gateway = await StartGatewayAsync(
            ("MODEL_ROUTE_OK", OpenAIRoute("good-model")),
            ("MODEL_ROUTE_BAD", OpenAIRoute("bad-model")),
            ("ALLOWED_MODELS", "good-model, other-model"));

        using var response = await gateway.Client.PostAsync("api/chat", Json("""{"modelKey":"bad","messages":[{"role":"user","content":"Hi"}]}"""));

        var problem = await AssertProblemAsync(response, HttpStatusCode.Forbidden, "model_not_allowed");
        Assert.Equal(["good-model", "other-model"], problem.GetProperty("allowedModels").EnumerateArray().Select(k => k.GetString()));
        Assert.Contains("bad-model", problem.GetProperty("detail").GetString());
        Assert.Empty(Upstream.Requests);
    }

    [Fact]
    public async Task Stream_ModelOutsideAllowlist_Answers403BeforeAnyEvent()
    {
        var gateway = await StartGatewayAsync(("MODEL_ROUTE_BAD", OpenAIRoute("bad-model")), ("ALLOWED_MODELS", "good-model"));

        using var response = await gateway.Client.PostAsync("api/chat/stream", Json(HelloMessages));

        await AssertProblemAsync(response, HttpStatusCode.Forbidden, "model_not_allowed");
    }

    internal static async Task<JsonElement> AssertProblemAsync(HttpResponseMessage response, HttpStatusCode status, string errorCode)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(errorCode, problem.GetProperty("errorCode").GetString());
        Assert.Equal((int)status, problem.GetProperty("status").GetInt32());
        Assert.False(string.IsNullOrEmpty(problem.GetProperty("detail").GetString()));
        Assert.False(string.IsNullOrEmpty(problem.GetProperty("traceId").GetString()));
        return problem;
    }
}
