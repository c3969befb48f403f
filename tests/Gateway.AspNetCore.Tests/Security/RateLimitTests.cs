using System.Net;
using Gateway.AspNetCore.Tests.Infrastructure;
using static Gateway.AspNetCore.Tests.Routing.RoutingEndpointTests;

namespace Gateway.AspNetCore.Tests.Security;

public sealed class RateLimitTests : GatewayFixture
{
    private static HttpRequestMessage Models(string key)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "api/models");
        request.Headers.TryAddWithoutValidation("X-API-Key", key);
        return request;
    }

    [Fact]
    public async Task Requests_OverTheLimit_Answer429WithRetryAfter()
    {
        var gateway = await StartGatewayAsync(("GATEWAY_API_KEYS", "alpha"), ("RATE_LIMIT_PER_MIN", "3"));

        for (var i = 0; i < 3; i++)
        {
            using var admitted = await gateway.Client.SendAsync(Models("alpha"));
            Assert.Equal(HttpStatusCode.OK, admitted.StatusCode);
        }

        using var refused = await gateway.Client.SendAsync(Models("alpha"));

        var problem = await AssertProblemAsync(refused, HttpStatusCode.TooManyRequests, "rate_limited");
        Assert.Equal(3, problem.GetProperty("limit").GetInt32());
        var retryAfter = refused.Headers.RetryAfter?.Delta;
        Assert.NotNull(retryAfter);
        Assert.InRange(retryAfter.Value.TotalSeconds, 1, 60);
        Assert.Equal((int)retryAfter.Value.TotalSeconds, problem.GetProperty("retryAfterSeconds").GetInt32());
    }

    [Fact]
    public async Task Requests_DifferentKeys_HaveSeparateBudgets()
    {
        var gateway = await StartGatewayAsync(("GATEWAY_API_KEYS", "alpha,beta"), ("RATE_LIMIT_PER_MIN", "1"));

        using var alpha = await gateway.Client.SendAsync(Models("alpha"));
        using var beta = await gateway.Client.SendAsync(Models("beta"));
        using var alphaAgain = await gateway.Client.SendAsync(Models("alpha"));

        Assert.Equal(HttpStatusCode.OK, alpha.StatusCode);
        Assert.Equal(HttpStatusCode.OK, beta.StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, alphaAgain.StatusCode);
    }

    [Fact]
    public async Task Requests_LimitOff_AreNeverRefused()
    {
        var gateway = await StartGatewayAsync(("GATEWAY_API_KEYS", "alpha"), ("RATE_LIMIT_PER_MIN", "0"));

        for (var i = 0; i < 20; i++)
        {
            using var response = await gateway.Client.SendAsync(Models("alpha"));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
    }

    [Fact]
    public async Task Chat_OverTheLimit_CallsNothingUpstreamAndIsCounted()
    {
        var gateway = await StartGatewayAsync(("MODEL_ROUTE_MAIN", OpenAIRoute()), ("RATE_LIMIT_PER_MIN", "1"));

        using var first = await gateway.Client.PostAsync("api/chat", Json(HelloMessages));
        using var second = await gateway.Client.PostAsync("api/chat", Json(HelloMessages));
        using var metrics = await gateway.Client.GetAsync("metrics");
        var scrape = await metrics.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, second.StatusCode);
        Assert.Single(Upstream.Requests);
        Assert.Contains("gateway_rate_limited_total 1", scrape);
    }

    [Fact]
    public async Task Requests_HostWithoutUseRateLimiter_Answer500NamingIt()
    {
        await using var gateway = await GatewayTestHost.StartAsync(
            new Dictionary<string, string?> { ["RATE_LIMIT_PER_MIN"] = "5" }, useRateLimiter: false);

        using var response = await gateway.Client.GetAsync("api/models");

        var problem = await AssertProblemAsync(response, HttpStatusCode.InternalServerError, "internal_error");
        Assert.Contains("app.UseRateLimiter()", problem.GetProperty("detail").GetString());
    }
}
