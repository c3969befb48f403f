using System.Net;
using System.Text.Json;
using Gateway.AspNetCore.Tests.Infrastructure;
using Gateway.TestUpstream;

namespace Gateway.AspNetCore.Tests.Models;

/// <summary>The live latency window of <c>/api/models</c>, filled by real traffic through the gateway.</summary>
public sealed class ModelLatencyEndpointTests : GatewayFixture
{
    private const int Burst = 8;

    [Fact]
    public async Task Latency_AfterABurstOfStreams_CountsThemWithConsistentFigures()
    {
        var gateway = await StartGatewayAsync(("MODEL_ROUTE_LOCAL", OllamaRoute()));
        // Four chunks, 10 ms apart, after 20 ms: at least 20 ms to the first token and 30 ms generating four tokens.
        Upstream.Behavior = new UpstreamBehavior
        {
            Chunks = ["a", "b", "c", "d"],
            FirstByteDelay = TimeSpan.FromMilliseconds(20),
            ChunkDelay = TimeSpan.FromMilliseconds(10),
        };

        await Task.WhenAll(Enumerable.Range(0, Burst).Select(_ => StreamAsync(gateway)));
        var latency = (await GetModelAsync(gateway, "local")).GetProperty("latency");

        Assert.Equal(Burst, latency.GetProperty("requests").GetInt32());
        Assert.Equal(0, latency.GetProperty("errors").GetInt32());
        var (ttft50, ttft95) = Percentiles(latency, "timeToFirstTokenMs");
        var (total50, total95) = Percentiles(latency, "durationMs");
        // Lower bounds with slack: the upstream's timers may fire a little early (19.4 ms was seen for 20).
        Assert.True(ttft50 >= 15, $"time to first token p50 {ttft50} ms, the upstream waits 20 ms");
        Assert.True(ttft50 <= ttft95, $"ttft p50 {ttft50} > p95 {ttft95}");
        Assert.True(total50 <= total95, $"duration p50 {total50} > p95 {total95}");
        Assert.True(ttft50 <= total50 && ttft95 <= total95, $"ttft {ttft50}/{ttft95} ms exceeds the duration {total50}/{total95} ms");
        Assert.True(total50 >= 40, $"duration p50 {total50} ms, the upstream takes about 50 ms");
        var rate = latency.GetProperty("outputTokensPerSecond").GetDouble();
        Assert.True(rate > 0, $"tokens/s {rate}");
        Assert.Equal(300, latency.GetProperty("windowSeconds").GetInt32());
        Assert.Equal(1024, latency.GetProperty("sampleLimit").GetInt32());
        Assert.False(latency.GetProperty("sampleLimitReached").GetBoolean());
    }

    [Fact]
    public async Task Latency_UpstreamFailures_AreCountedAsErrorsButLeaveTheLatencyAlone()
    {
        var gateway = await StartGatewayAsync(
            ("MODEL_ROUTE_MAIN", OpenAIRoute()),
            ("UPSTREAM_MAX_RETRIES", "0"));
        // Not streamed, so the rate is tokens over the whole duration, and the upstream holds every answer 20 ms.
        Upstream.Behavior = new UpstreamBehavior { CompletionTokens = 12, FirstByteDelay = TimeSpan.FromMilliseconds(20) };
        for (var i = 0; i < 3; i++)
        {
            using var ok = await gateway.Client.PostAsync("api/chat", Json(HelloMessages));
            Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        }

        Upstream.Behavior = new UpstreamBehavior { FailWithStatus = 500 };
        for (var i = 0; i < 2; i++)
        {
            using var failed = await gateway.Client.PostAsync("api/chat", Json(HelloMessages));
            Assert.Equal(HttpStatusCode.BadGateway, failed.StatusCode);
        }

        await StreamAsync(gateway, expectError: true);
        var latency = (await GetModelAsync(gateway, "main")).GetProperty("latency");

        Assert.Equal(6, latency.GetProperty("requests").GetInt32());
        Assert.Equal(3, latency.GetProperty("errors").GetInt32());
        // The three answers were not streamed: a duration, no time to first token.
        Assert.Equal(JsonValueKind.Null, latency.GetProperty("timeToFirstTokenMs").ValueKind);
        Assert.Equal(JsonValueKind.Object, latency.GetProperty("durationMs").ValueKind);
        var rate = latency.GetProperty("outputTokensPerSecond").GetDouble();
        Assert.True(rate is > 0 and <= 12 / 0.015, $"tokens/s {rate}: 12 tokens in about 20 ms (no less than 15, timers may fire early) allow at most 800");
    }

    [Fact]
    public async Task Latency_WindowAndLimitSettings_AreShownAndTheLimitIsKept()
    {
        var gateway = await StartGatewayAsync(
            ("MODEL_ROUTE_MAIN", OpenAIRoute()),
            ("MODEL_LATENCY_WINDOW_SECONDS", "60"),
            ("MODEL_LATENCY_MAX_SAMPLES", "3"));

        for (var i = 0; i < 5; i++)
        {
            using var response = await gateway.Client.PostAsync("api/chat", Json(HelloMessages));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        var latency = (await GetModelAsync(gateway, "main")).GetProperty("latency");

        Assert.Equal(60, latency.GetProperty("windowSeconds").GetInt32());
        Assert.Equal(3, latency.GetProperty("sampleLimit").GetInt32());
        Assert.Equal(3, latency.GetProperty("requests").GetInt32());
        Assert.True(latency.GetProperty("sampleLimitReached").GetBoolean());
    }

    [Fact]
    public async Task Latency_NoTraffic_IsEmptyNotMissing()
    {
        var gateway = await StartGatewayAsync(("MODEL_ROUTE_MAIN", OpenAIRoute()));

        var latency = (await GetModelAsync(gateway, "main")).GetProperty("latency");

        Assert.Equal(0, latency.GetProperty("requests").GetInt32());
        Assert.Equal(0, latency.GetProperty("errors").GetInt32());
        Assert.Equal(JsonValueKind.Null, latency.GetProperty("durationMs").ValueKind);
        Assert.Equal(JsonValueKind.Null, latency.GetProperty("outputTokensPerSecond").ValueKind);
    }

    private static async Task StreamAsync(GatewayTestHost gateway, bool expectError = false)
    {
        using var response = await gateway.Client.PostAsync("api/chat/stream", Json(HelloMessages));
        var body = await response.Content.ReadAsStringAsync();
        if (expectError)
        {
            Assert.NotEqual(HttpStatusCode.OK, response.StatusCode);
        }
        else
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Contains("event: done", body);
        }
    }

    private static async Task<JsonElement> GetModelAsync(GatewayTestHost gateway, string key)
    {
        using var response = await gateway.Client.GetAsync($"api/models/{key}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
    }

    private static (double P50, double P95) Percentiles(JsonElement latency, string name)
    {
        var percentiles = latency.GetProperty(name);
        return (percentiles.GetProperty("p50").GetDouble(), percentiles.GetProperty("p95").GetDouble());
    }
}
