using System.Net;
using System.Net.Http.Headers;
using Gateway.AspNetCore.Tests.Infrastructure;
using Gateway.TestUpstream;

namespace Gateway.AspNetCore.Tests.Metrics;

public sealed class MetricsEndpointTests : GatewayFixture
{
    private static readonly (string, string) Main = ("model_key", "main");
    private static readonly (string, string) OpenAI = ("provider", "openai");

    [Fact]
    public async Task Metrics_AfterTraffic_ReportFamiliesLabelsAndValues()
    {
        var gateway = await StartGatewayAsync(("MODEL_ROUTE_MAIN", OpenAIRoute()));
        await SendMixedTrafficAsync(gateway);

        var scrape = await ScrapeUntilAsync(gateway, s => s.Sum("gateway_requests_total") >= 3);

        Assert.Equal(2, scrape.Value("gateway_requests_total", Main, OpenAI, ("status", "ok")));
        Assert.Equal(1, scrape.Value("gateway_requests_total", Main, OpenAI, ("status", "upstream_error")));
        Assert.Equal(3, scrape.Sum("gateway_requests_total"));

        // The request for an unknown route never reached a route's pipeline.
        Assert.DoesNotContain(scrape.Samples, s => s.Labels.TryGetValue("model_key", out var key) && key == "nope");
        Assert.DoesNotContain(scrape.Samples, s => s.Labels.TryGetValue("status", out var status) && status == "route_not_found");

        Assert.Equal(2, scrape.Value("gateway_request_duration_seconds_count", Main, OpenAI, ("status", "ok")));
        Assert.Equal(1, scrape.Value("gateway_request_duration_seconds_count", Main, OpenAI, ("status", "upstream_error")));
        Assert.Equal(2, scrape.Value("gateway_request_duration_seconds_bucket", Main, OpenAI, ("status", "ok"), ("le", "+Inf")));
        Assert.True(scrape.Value("gateway_request_duration_seconds_sum", Main, OpenAI, ("status", "ok")) > 0);

        Assert.Equal(1, scrape.Value("gateway_upstream_errors_total", Main, OpenAI, ("kind", "status")));
        Assert.Equal(1, scrape.Sum("gateway_upstream_errors_total"));

        Assert.Equal(6, scrape.Value("gateway_tokens_total", Main, OpenAI, ("direction", "input")));
        Assert.Equal(4, scrape.Value("gateway_tokens_total", Main, OpenAI, ("direction", "output")));

        // Only the streamed request has a first token.
        Assert.Equal(1, scrape.Value("gateway_time_to_first_token_seconds_count", Main, OpenAI));
        Assert.Equal(1, scrape.Value("gateway_time_to_first_token_seconds_bucket", Main, OpenAI, ("le", "60")));
        Assert.Equal(0, scrape.Value("gateway_active_streams", Main, OpenAI));

        Assert.Equal("counter", scrape.Types["gateway_requests_total"]);
        Assert.Equal("histogram", scrape.Types["gateway_request_duration_seconds"]);
        Assert.Equal("counter", scrape.Types["gateway_upstream_errors_total"]);
        Assert.Equal("counter", scrape.Types["gateway_tokens_total"]);
        Assert.Equal("histogram", scrape.Types["gateway_time_to_first_token_seconds"]);
        Assert.Equal("gauge", scrape.Types["gateway_active_streams"]);
    }

    [Fact]
    public async Task Metrics_DurationBuckets_AreTheInstrumentsAdvice()
    {
        var gateway = await StartGatewayAsync(("MODEL_ROUTE_MAIN", OpenAIRoute()));
        using (var response = await gateway.Client.PostAsync("api/chat", Json(HelloMessages)))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        var scrape = await ScrapeUntilAsync(gateway, s => s.Sum("gateway_requests_total") >= 1);

        var bounds = scrape.Samples
            .Where(s => s.Name == "gateway_request_duration_seconds_bucket")
            .Select(s => s.Labels["le"])
            .ToList();
        Assert.Equal(["0.005", "0.01", "0.025", "0.05", "0.1", "0.25", "0.5", "1", "2.5", "5", "10", "30", "60", "120", "300", "600", "+Inf"], bounds);
    }

    [Fact]
    public async Task Metrics_LiveScrape_PassesPromtoolWithoutLintComplaints()
    {
        var gateway = await StartGatewayAsync(("MODEL_ROUTE_MAIN", OpenAIRoute()));
        await SendMixedTrafficAsync(gateway);
        var scrape = await ScrapeUntilAsync(gateway, s => s.Sum("gateway_requests_total") >= 3);
        foreach (var family in new[] { "gateway_requests_total", "gateway_request_duration_seconds", "gateway_upstream_errors_total", "gateway_tokens_total", "gateway_time_to_first_token_seconds", "gateway_active_streams" })
        {
            Assert.Contains(family, scrape.Types.Keys);
        }

        var (exitCode, output) = await Promtool.RunAsync(scrape.Text, "check", "metrics");

        Assert.True(exitCode == 0 && output.Length == 0, $"promtool check metrics exited {exitCode}:\n{output}\n--- scrape ---\n{scrape.Text}");
    }

    [Fact]
    public async Task Metrics_Response_IsPrometheusTextFormat()
    {
        var gateway = await StartGatewayAsync(("MODEL_ROUTE_MAIN", OpenAIRoute()));

        using var response = await gateway.Client.GetAsync("metrics");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/plain; version=0.0.4; charset=utf-8", response.Content.Headers.ContentType?.ToString());
    }

    [Fact]
    public async Task Metrics_KeysConfiguredWithoutRequireKey_IsServedWithoutKey()
    {
        var gateway = await StartGatewayAsync(("MODEL_ROUTE_MAIN", OpenAIRoute()), ("GATEWAY_API_KEYS", "secret"));

        using var response = await gateway.Client.GetAsync("metrics");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Metrics_RequireKey_Answers401WithoutKeyAnd200WithIt()
    {
        var gateway = await StartGatewayAsync(
            ("MODEL_ROUTE_MAIN", OpenAIRoute()), ("GATEWAY_API_KEYS", "secret"), ("METRICS_REQUIRE_KEY", "true"));

        using (var anonymous = await gateway.Client.GetAsync("metrics"))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
            Assert.Equal("application/problem+json", anonymous.Content.Headers.ContentType?.MediaType);
            Assert.Contains("\"unauthenticated\"", await anonymous.Content.ReadAsStringAsync());
        }

        using var request = new HttpRequestMessage(HttpMethod.Get, "metrics");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "secret");
        using var authenticated = await gateway.Client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, authenticated.StatusCode);
        Assert.Equal("text/plain", authenticated.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Metrics_CustomPath_IsServedThereAndNotAtTheDefault()
    {
        var gateway = await StartGatewayAsync(("MODEL_ROUTE_MAIN", OpenAIRoute()), ("METRICS_PATH", "/internal/prometheus"));

        using (var custom = await gateway.Client.GetAsync("internal/prometheus"))
        {
            Assert.Equal(HttpStatusCode.OK, custom.StatusCode);
            Assert.Equal("text/plain", custom.Content.Headers.ContentType?.MediaType);
        }

        using var standard = await gateway.Client.GetAsync("metrics");
        Assert.Equal(HttpStatusCode.NotFound, standard.StatusCode);
    }

    [Fact]
    public async Task Metrics_ClientDisconnectsMidStream_ActiveStreamsReturnToZero()
    {
        var gateway = await StartGatewayAsync(("MODEL_ROUTE_MAIN", OpenAIRoute()));
        Upstream.Behavior = new UpstreamBehavior { Chunks = Enumerable.Repeat("tick ", 1000).ToArray(), ChunkDelay = TimeSpan.FromMilliseconds(20) };

        using (var request = new HttpRequestMessage(HttpMethod.Post, "api/chat/stream") { Content = Json(HelloMessages) })
        using (var response = await gateway.Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            await using var stream = await response.Content.ReadAsStreamAsync();
            var buffer = new byte[64];
            Assert.True(await stream.ReadAsync(buffer) > 0);

            var open = await ScrapeAsync(gateway);
            Assert.Equal(1, open.Value("gateway_active_streams", Main, OpenAI));
        }

        // Kestrel notices the closed connection on its next write; give it time.
        var scrape = await ScrapeUntilAsync(gateway, s => s.Value("gateway_active_streams", Main, OpenAI) == 0, TimeSpan.FromSeconds(10));
        Assert.Equal(0, scrape.Value("gateway_active_streams", Main, OpenAI));
        Assert.Equal(1, await WaitForValueAsync(gateway, "gateway_requests_total", Main, OpenAI, ("status", "cancelled")));
    }

    /// <summary>A streamed and a plain success (3 input and 2 output tokens each), an upstream 500 and an unknown route.</summary>
    private async Task SendMixedTrafficAsync(GatewayTestHost gateway)
    {
        Upstream.Behavior = new UpstreamBehavior { Chunks = ["Hel", "lo"], PromptTokens = 3, CompletionTokens = 2 };
        using (var streamed = await gateway.Client.PostAsync("api/chat/stream", Json(HelloMessages)))
        {
            Assert.Equal(HttpStatusCode.OK, streamed.StatusCode);
            Assert.Contains(await SseReader.ReadAllAsync(streamed), e => e.Name == "done");
        }

        using (var plain = await gateway.Client.PostAsync("api/chat", Json(HelloMessages)))
        {
            Assert.Equal(HttpStatusCode.OK, plain.StatusCode);
        }

        Upstream.Behavior = new UpstreamBehavior { FailWithStatus = 500 };
        using (var failed = await gateway.Client.PostAsync("api/chat", Json(HelloMessages)))
        {
            Assert.Equal(HttpStatusCode.BadGateway, failed.StatusCode);
        }

        using (var unknown = await gateway.Client.PostAsync("api/chat", Json("""{"modelKey":"nope","messages":[{"role":"user","content":"Hi"}]}""")))
        {
            Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        }
    }

    private static async Task<PrometheusScrape> ScrapeAsync(GatewayTestHost gateway)
    {
        using var response = await gateway.Client.GetAsync("metrics");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return PrometheusScrape.Parse(await response.Content.ReadAsStringAsync());
    }

    /// <summary>
    /// Scrapes until <paramref name="done"/> holds: a stream's last measurements are taken when the
    /// server lets go of it, which can be a moment after the client has read the last event.
    /// </summary>
    private static async Task<PrometheusScrape> ScrapeUntilAsync(GatewayTestHost gateway, Func<PrometheusScrape, bool> done, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(5));
        while (true)
        {
            var scrape = await ScrapeAsync(gateway);
            if (done(scrape) || DateTime.UtcNow > deadline)
            {
                return scrape;
            }

            await Task.Delay(50);
        }
    }

    private static async Task<double?> WaitForValueAsync(GatewayTestHost gateway, string name, params (string, string)[] labels) =>
        (await ScrapeUntilAsync(gateway, s => s.Value(name, labels) is not null)).Value(name, labels);
}
