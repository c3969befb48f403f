using System.Net;
using Gateway.AspNetCore.Tests.Infrastructure;
using Gateway.TestUpstream;

namespace Gateway.AspNetCore.Tests.Chat;

public sealed class HeartbeatTests : GatewayFixture
{
    private const string Heartbeat = ": heartbeat\n\n";

    [Fact]
    public async Task Stream_SlowUpstream_SendsHeartbeatsBeforeAndBetweenTokens()
    {
        var gateway = await StartGatewayAsync(("MODEL_ROUTE_MAIN", OllamaRoute()), ("SSE_HEARTBEAT_SECONDS", "1"));
        Upstream.Behavior = new UpstreamBehavior
        {
            Chunks = ["first", "second"],
            FirstByteDelay = TimeSpan.FromMilliseconds(2300),
            ChunkDelay = TimeSpan.FromMilliseconds(1600),
        };

        using var response = await gateway.Client.PostAsync("api/chat/stream", Json(HelloMessages));
        var wire = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var first = wire.IndexOf("data: {\"content\":\"first\"}", StringComparison.Ordinal);
        var second = wire.IndexOf("data: {\"content\":\"second\"}", StringComparison.Ordinal);
        Assert.True(first > 0 && second > first, wire);
        Assert.True(Count(wire[..first], Heartbeat) >= 2, "expected two heartbeats before the first token: " + wire);
        Assert.True(Count(wire[first..second], Heartbeat) >= 1, "expected a heartbeat between the tokens: " + wire);
        Assert.StartsWith(Heartbeat, wire);
    }

    [Fact]
    public async Task Stream_Heartbeats_NeverAppearAsContent()
    {
        var gateway = await StartGatewayAsync(("MODEL_ROUTE_MAIN", OpenAIRoute()), ("SSE_HEARTBEAT_SECONDS", "1"));
        Upstream.Behavior = new UpstreamBehavior { Chunks = ["a", "b"], FirstByteDelay = TimeSpan.FromMilliseconds(1500) };

        using var response = await gateway.Client.PostAsync("api/chat/stream", Json(HelloMessages));
        var events = await SseReader.ReadAllAsync(response);

        Assert.Equal(["{\"content\":\"a\"}", "{\"content\":\"b\"}"], events.Where(e => e.Name is null).Select(e => e.Data));
        Assert.Equal("done", events[^1].Name);
    }

    [Fact]
    public async Task OpenAIStream_SlowUpstream_SendsHeartbeatComments()
    {
        var gateway = await StartGatewayAsync(("MODEL_ROUTE_MAIN", OpenAIRoute()), ("SSE_HEARTBEAT_SECONDS", "1"));
        Upstream.Behavior = new UpstreamBehavior { Chunks = ["a"], FirstByteDelay = TimeSpan.FromMilliseconds(1500) };

        using var response = await gateway.Client.PostAsync(
            "v1/chat/completions", Json("""{"model":"main","stream":true,"messages":[{"role":"user","content":"Hi"}]}"""));
        var wire = await response.Content.ReadAsStringAsync();

        Assert.StartsWith(Heartbeat, wire);
        Assert.EndsWith("data: [DONE]\n\n", wire);
    }

    [Fact]
    public async Task Stream_HeartbeatsOff_SendsNone()
    {
        var gateway = await StartGatewayAsync(("MODEL_ROUTE_MAIN", OpenAIRoute()), ("SSE_HEARTBEAT_SECONDS", "0"));
        Upstream.Behavior = new UpstreamBehavior { Chunks = ["a"], FirstByteDelay = TimeSpan.FromMilliseconds(1300) };

        using var response = await gateway.Client.PostAsync("api/chat/stream", Json(HelloMessages));
        var wire = await response.Content.ReadAsStringAsync();

        Assert.DoesNotContain(": heartbeat", wire);
    }

    [Fact]
    public async Task Stream_UpstreamFailsAfterHeartbeat_ReportsErrorEvent()
    {
        var gateway = await StartGatewayAsync(("MODEL_ROUTE_MAIN", OpenAIRoute()), ("SSE_HEARTBEAT_SECONDS", "1"), ("UPSTREAM_MAX_RETRIES", "0"));
        Upstream.Behavior = new UpstreamBehavior { FailWithStatus = 500, FirstByteDelay = TimeSpan.FromMilliseconds(1500) };

        using var response = await gateway.Client.PostAsync("api/chat/stream", Json(HelloMessages));
        var events = await SseReader.ReadAllAsync(response);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var error = Assert.Single(events);
        Assert.Equal("error", error.Name);
        Assert.Contains("\"errorCode\":\"upstream_error\"", error.Data);
    }

    private static int Count(string text, string part)
    {
        var count = 0;
        for (var at = text.IndexOf(part, StringComparison.Ordinal); at >= 0; at = text.IndexOf(part, at + part.Length, StringComparison.Ordinal))
        {
            count++;
        }

        return count;
    }
}
