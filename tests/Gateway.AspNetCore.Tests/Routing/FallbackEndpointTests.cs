using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Gateway.AspNetCore.Tests.Infrastructure;
using Gateway.AspNetCore.Tests.Metrics;
using Gateway.TestUpstream;

namespace Gateway.AspNetCore.Tests.Routing;

/// <summary>
/// Deployments and fallbacks through the HTTP API: <c>X-Gateway-Route</c> and <c>modelKey</c> name the
/// route that answered, the metric counts the fallback, <c>/api/models/{key}</c> shows each deployment.
/// </summary>
public sealed class FallbackEndpointTests : GatewayFixture
{
    private const string RouteHeader = "X-Gateway-Route";

    private static string ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return $"http://127.0.0.1:{port}/v1";
    }

    private Task<GatewayTestHost> StartWithDeadPrimaryAsync() => StartGatewayAsync(
        ("MODEL_ROUTE_MAIN", $"openai|{ClosedPort()}|test-model"),
        ("MODEL_ROUTE_BACKUP", OllamaRoute("backup-model")),
        ("MODEL_FALLBACKS_MAIN", "backup"),
        ("UPSTREAM_MAX_RETRIES", "0"));

    [Fact]
    public async Task Chat_PrimaryUnreachable_TheFallbackAnswersAndIsNamed()
    {
        var gateway = await StartWithDeadPrimaryAsync();

        using var response = await gateway.Client.PostAsync("api/chat", Json("""{"modelKey":"main","messages":[{"role":"user","content":"Hi"}]}"""));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("backup", Assert.Single(response.Headers.GetValues(RouteHeader)));
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("backup", body.RootElement.GetProperty("modelKey").GetString());
        Assert.Contains("backup-model", Assert.Single(Upstream.Requests).Body);
    }

    [Fact]
    public async Task ChatStream_PrimaryUnreachable_HeaderAndDoneEventNameTheFallback()
    {
        var gateway = await StartWithDeadPrimaryAsync();

        using var response = await gateway.Client.PostAsync("api/chat/stream", Json("""{"modelKey":"main","messages":[{"role":"user","content":"Hi"}]}"""));
        var events = await SseReader.ReadAllAsync(response);

        Assert.Equal("backup", Assert.Single(response.Headers.GetValues(RouteHeader)));
        Assert.Equal("done", events[^1].Name);
        Assert.Equal("backup", JsonDocument.Parse(events[^1].Data).RootElement.GetProperty("modelKey").GetString());
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task ChatCompletions_PrimaryUnreachable_HeaderNamesTheFallback(bool stream)
    {
        var gateway = await StartWithDeadPrimaryAsync();
        var request = $$"""{"model":"main","stream":{{(stream ? "true" : "false")}},"messages":[{"role":"user","content":"Hi"}]}""";

        using var response = await gateway.Client.PostAsync("v1/chat/completions", Json(request));
        var text = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("backup", Assert.Single(response.Headers.GetValues(RouteHeader)));
        Assert.Contains("Hello", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Chat_NoFallbackNeeded_HeaderNamesTheRequestedRoute()
    {
        var gateway = await StartGatewayAsync(("MODEL_ROUTE_MAIN", OpenAIRoute()));

        using var response = await gateway.Client.PostAsync("api/chat", Json(HelloMessages));

        Assert.Equal("main", Assert.Single(response.Headers.GetValues(RouteHeader)));
    }

    [Fact]
    public async Task Metrics_AfterAFallback_CountItByFromAndToRoute()
    {
        var gateway = await StartWithDeadPrimaryAsync();
        for (var i = 0; i < 2; i++)
        {
            using var response = await gateway.Client.PostAsync("api/chat", Json("""{"modelKey":"main","messages":[{"role":"user","content":"Hi"}]}"""));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        var scrape = PrometheusScrape.Parse(await gateway.Client.GetStringAsync("metrics"));

        Assert.Equal(2, scrape.Value("gateway_route_fallbacks_total", ("from", "main"), ("to", "backup")));
        Assert.Equal("counter", scrape.Types["gateway_route_fallbacks_total"]);
    }

    [Fact]
    public async Task Model_WithTwoDeployments_ShowsEachOnesStateWithoutSecrets()
    {
        var gateway = await StartGatewayAsync(
            ("MODEL_ROUTE_MAIN", $"openai|{ClosedPort().Replace("http://", "http://user:pass@", StringComparison.Ordinal)}|test-model|env:KEY_ONE;{OpenAIRoute()}"),
            ("KEY_ONE", "sk-secret-one"),
            ("MODEL_ROUTE_BACKUP", OllamaRoute()),
            ("MODEL_FALLBACKS_MAIN", "backup"),
            ("UPSTREAM_MAX_RETRIES", "0"),
            ("DEPLOYMENT_FAILURE_THRESHOLD", "2"));
        for (var i = 0; i < 6; i++)
        {
            using var response = await gateway.Client.PostAsync("api/chat", Json("""{"modelKey":"main","messages":[{"role":"user","content":"Hi"}]}"""));
            Assert.Equal("main", Assert.Single(response.Headers.GetValues(RouteHeader)));
        }

        var text = await gateway.Client.GetStringAsync("api/models/main");

        Assert.DoesNotContain("sk-secret-one", text, StringComparison.Ordinal);
        Assert.DoesNotContain("pass", text, StringComparison.Ordinal);
        var model = JsonDocument.Parse(text).RootElement;
        Assert.Equal(["backup"], model.GetProperty("fallbacks").EnumerateArray().Select(e => e.GetString()));
        var deployments = model.GetProperty("deployments");
        Assert.Equal(2, deployments.GetArrayLength());
        Assert.Equal("open", deployments[0].GetProperty("state").GetString());
        Assert.True(deployments[0].GetProperty("coolingDownUntil").GetDateTimeOffset() > DateTimeOffset.UtcNow);
        Assert.Equal("closed", deployments[1].GetProperty("state").GetString());
        Assert.Equal(JsonValueKind.Null, deployments[1].GetProperty("coolingDownUntil").ValueKind);
        Assert.Equal(0, deployments[1].GetProperty("outstandingRequests").GetInt32());
        Assert.Equal("test-model", deployments[1].GetProperty("model").GetString());
        Assert.Equal(Upstream.OpenAIBaseAddress.ToString().TrimEnd('/'), deployments[1].GetProperty("endpoint").GetString()!.TrimEnd('/'));
        Assert.Equal(6, Upstream.Requests.Count);
    }

    [Fact]
    public async Task ChatStream_PrimaryBreaksAfterTheFirstChunk_NoFallbackAndAnErrorEvent()
    {
        await using var backup = await TestUpstreamServer.StartAsync();
        var gateway = await StartGatewayAsync(
            ("MODEL_ROUTE_MAIN", OpenAIRoute()),
            ("MODEL_ROUTE_BACKUP", $"openai|{backup.OpenAIBaseAddress}|test-model"),
            ("MODEL_FALLBACKS_MAIN", "backup"));
        Upstream.Behavior = new UpstreamBehavior { Chunks = ["partial", " answer"], BreakAfterChunks = 1 };

        using var response = await gateway.Client.PostAsync("api/chat/stream", Json("""{"modelKey":"main","messages":[{"role":"user","content":"Hi"}]}"""));
        var events = await SseReader.ReadAllAsync(response);

        Assert.Equal("main", Assert.Single(response.Headers.GetValues(RouteHeader)));
        Assert.Equal("{\"content\":\"partial\"}", events[0].Data);
        Assert.Equal("error", events[^1].Name);
        Assert.Empty(backup.Requests);
    }
}
