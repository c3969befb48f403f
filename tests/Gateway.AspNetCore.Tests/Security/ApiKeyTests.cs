using System.Net;
using System.Net.Http.Headers;
using Gateway.AspNetCore.Tests.Infrastructure;
using static Gateway.AspNetCore.Tests.Routing.RoutingEndpointTests;

namespace Gateway.AspNetCore.Tests.Security;

public sealed class ApiKeyTests : GatewayFixture
{
    private Task<GatewayTestHost> StartWithKeysAsync() =>
        StartGatewayAsync(("MODEL_ROUTE_MAIN", OpenAIRoute()), ("GATEWAY_API_KEYS", "first-key, second-key"));

    [Theory]
    [InlineData("api/models")]
    [InlineData("v1/models")]
    public async Task Get_WithoutKey_Answers401Problem(string path)
    {
        var gateway = await StartWithKeysAsync();

        using var response = await gateway.Client.GetAsync(path);

        var problem = await AssertProblemAsync(response, HttpStatusCode.Unauthorized, "unauthenticated");
        Assert.Contains("Bearer", response.Headers.WwwAuthenticate.ToString());
        Assert.Contains("API key is required", problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Chat_WrongKey_Answers401AndCallsNothingUpstream()
    {
        var gateway = await StartWithKeysAsync();
        using var request = new HttpRequestMessage(HttpMethod.Post, "api/chat") { Content = Json(HelloMessages) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "first-key-but-longer");

        using var response = await gateway.Client.SendAsync(request);

        var problem = await AssertProblemAsync(response, HttpStatusCode.Unauthorized, "unauthenticated");
        Assert.Contains("not valid", problem.GetProperty("detail").GetString());
        Assert.Empty(Upstream.Requests);
    }

    [Fact]
    public async Task Chat_WithoutKeyAndUnreadableBody_Answers401BeforeBinding()
    {
        var gateway = await StartWithKeysAsync();

        using var response = await gateway.Client.PostAsync("api/chat", Json("{not json"));

        await AssertProblemAsync(response, HttpStatusCode.Unauthorized, "unauthenticated");
    }

    [Theory]
    [InlineData("Authorization", "Bearer first-key")]
    [InlineData("Authorization", "bearer second-key")]
    [InlineData("X-API-Key", "second-key")]
    public async Task Chat_ValidKey_IsServed(string header, string value)
    {
        var gateway = await StartWithKeysAsync();
        using var request = new HttpRequestMessage(HttpMethod.Post, "api/chat") { Content = Json(HelloMessages) };
        request.Headers.TryAddWithoutValidation(header, value);

        using var response = await gateway.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Health_WithoutKey_IsServed()
    {
        var gateway = await StartWithKeysAsync();

        using var response = await gateway.Client.GetAsync("health");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("ready", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Models_NoKeysConfigured_ServesLoopbackClient()
    {
        var gateway = await StartGatewayAsync(("MODEL_ROUTE_MAIN", OpenAIRoute()));

        using var response = await gateway.Client.GetAsync("api/models");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }
}
