using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Gateway.AspNetCore.Tests.Infrastructure;
using static Gateway.AspNetCore.Tests.Routing.RoutingEndpointTests;

namespace Gateway.AspNetCore.Tests.Routing;

/// <summary>
/// A turn that falls back goes only to a fallback that can do what it asks: a request with tools skips a fallback
/// whose model cannot call tools (ADR 0017), and when no fallback can, the primary route's failure is the answer.
/// </summary>
public sealed class FallbackCapabilityTests : GatewayFixture
{
    private const string WithTools = """
        {"model":"main","messages":[{"role":"user","content":"Weather?"}],
         "tools":[{"type":"function","function":{"name":"get_weather","parameters":{"type":"object"}}}]}
        """;

    private const string WithoutTools = """{"model":"main","messages":[{"role":"user","content":"Hi"}]}""";

    private static string ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return $"http://127.0.0.1:{port}/v1";
    }

    private Task<GatewayTestHost> StartAsync(string fallbacks) => StartGatewayAsync(
        ("MODEL_ROUTE_MAIN", $"openai|{ClosedPort()}|main-model"),
        ("MODEL_ROUTE_PLAIN", OpenAIRoute("plain-model")),
        ("MODEL_CAPABILITIES_PLAIN", "chat,streaming"),
        ("MODEL_ROUTE_TOOLS", OpenAIRoute("tools-model")),
        ("MODEL_FALLBACKS_MAIN", fallbacks),
        ("UPSTREAM_MAX_RETRIES", "0"));

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task ChatCompletions_WithTools_SkipsTheFallbackThatCannotCallTools(bool stream)
    {
        var gateway = await StartAsync("plain,tools");

        using var response = await gateway.Client.PostAsync(
            "v1/chat/completions", Json(WithTools.Replace("\"model\":\"main\",", $"\"model\":\"main\",\"stream\":{(stream ? "true" : "false")},")));
        await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("tools", Assert.Single(response.Headers.GetValues("X-Gateway-Route")));
        var sent = JsonDocument.Parse(Assert.Single(Upstream.Requests).Body).RootElement;
        Assert.Equal("tools-model", sent.GetProperty("model").GetString());
        Assert.Equal("get_weather", sent.GetProperty("tools")[0].GetProperty("function").GetProperty("name").GetString());
    }

    [Fact]
    public async Task ChatCompletions_WithoutTools_TheFirstFallbackAnswers()
    {
        var gateway = await StartAsync("plain,tools");

        using var response = await gateway.Client.PostAsync("v1/chat/completions", Json(WithoutTools));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("plain", Assert.Single(response.Headers.GetValues("X-Gateway-Route")));
        Assert.Contains("plain-model", Assert.Single(Upstream.Requests).Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ChatCompletions_WithToolsAndOnlyAFallbackThatCannotCallThem_AnswersThePrimarysFailure()
    {
        var gateway = await StartAsync("plain");

        using var response = await gateway.Client.PostAsync("v1/chat/completions", Json(WithTools));

        var problem = await AssertProblemAsync(response, HttpStatusCode.BadGateway, "upstream_unavailable");
        Assert.Contains("main", problem.GetProperty("error").GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Empty(Upstream.Requests);
    }

    [Fact]
    public async Task ChatCompletions_WithToolsOnAPrimaryThatCannotCallThem_Answers400EvenWithAToolsFallback()
    {
        var gateway = await StartGatewayAsync(
            ("MODEL_ROUTE_MAIN", OpenAIRoute("main-model")),
            ("MODEL_CAPABILITIES_MAIN", "chat,streaming"),
            ("MODEL_ROUTE_TOOLS", OpenAIRoute("tools-model")),
            ("MODEL_FALLBACKS_MAIN", "tools"));

        using var response = await gateway.Client.PostAsync("v1/chat/completions", Json(WithTools));

        await AssertProblemAsync(response, HttpStatusCode.BadRequest, "tools_not_supported");
        Assert.Empty(Upstream.Requests);
    }
}
