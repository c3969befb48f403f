using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Gateway.AspNetCore.Tests.Infrastructure;
using Gateway.TestUpstream;
using Microsoft.Extensions.DependencyInjection;
using static Gateway.AspNetCore.Tests.Routing.RoutingEndpointTests;

namespace Gateway.AspNetCore.Tests.Resilience;

public sealed class UpstreamResilienceTests : GatewayFixture
{
    [Theory]
    [InlineData(503)]
    [InlineData(502)]
    [InlineData(504)]
    [InlineData(429)]
    public async Task Chat_TransientStatusThenSuccess_IsRetried(int status)
    {
        var gateway = await StartGatewayAsync(("MODEL_ROUTE_MAIN", OpenAIRoute()), ("UPSTREAM_RETRY_DELAY_MS", "10"));
        Upstream.Behavior = new UpstreamBehavior { FailWithStatus = status, FailTimes = 2 };

        using var response = await gateway.Client.PostAsync("api/chat", Json(HelloMessages));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(3, Upstream.Requests.Count);
    }

    [Fact]
    public async Task Stream_TransientStatusThenSuccess_IsRetriedBeforeTheFirstByte()
    {
        var gateway = await StartGatewayAsync(("MODEL_ROUTE_MAIN", OllamaRoute()), ("UPSTREAM_RETRY_DELAY_MS", "10"));
        Upstream.Behavior = new UpstreamBehavior { Chunks = ["ok"], FailWithStatus = 503, FailTimes = 1 };

        using var response = await gateway.Client.PostAsync("api/chat/stream", Json(HelloMessages));
        var events = await SseReader.ReadAllAsync(response);

        Assert.Equal("{\"content\":\"ok\"}", events[0].Data);
        Assert.Equal("done", events[^1].Name);
        Assert.Equal(2, Upstream.Requests.Count);
    }

    [Fact]
    public async Task Chat_RetryAfter_IsHonoured()
    {
        var time = new TimerRecordingTimeProvider();
        var gateway = await StartGatewayAsync(
            gateway => gateway.Services.AddSingleton<TimeProvider>(time),
            ("MODEL_ROUTE_MAIN", OpenAIRoute()), ("UPSTREAM_RETRY_DELAY_MS", "10"));
        Upstream.Behavior = new UpstreamBehavior { FailWithStatus = 429, FailTimes = 1, RetryAfterSeconds = 7 };

        var request = gateway.Client.PostAsync("api/chat", Json(HelloMessages));

        // The retry waits the 7 s the upstream asked for, not the 10 ms backoff, and sends nothing until they pass.
        await time.WaitForTimerAsync(TimeSpan.FromSeconds(7));
        Assert.Single(Upstream.Requests);
        Assert.False(request.IsCompleted);
        time.Advance(TimeSpan.FromSeconds(7));
        using var response = await request;

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(2, Upstream.Requests.Count);
    }

    [Theory]
    [InlineData(500)]
    [InlineData(401)]
    [InlineData(400)]
    public async Task Chat_NonTransientStatus_IsNotRetried(int status)
    {
        var gateway = await StartGatewayAsync(("MODEL_ROUTE_MAIN", OpenAIRoute()), ("UPSTREAM_RETRY_DELAY_MS", "10"));
        Upstream.Behavior = new UpstreamBehavior { FailWithStatus = status, FailTimes = 1 };

        using var response = await gateway.Client.PostAsync("api/chat", Json(HelloMessages));

        Assert.NotEqual(HttpStatusCode.OK, response.StatusCode);
        Assert.Single(Upstream.Requests);
    }

    [Fact]
    public async Task Chat_RetriesExhausted_AnswersTheLastFailure()
    {
        var gateway = await StartGatewayAsync(
            ("MODEL_ROUTE_MAIN", OpenAIRoute()), ("UPSTREAM_RETRY_DELAY_MS", "10"), ("UPSTREAM_MAX_RETRIES", "3"));
        Upstream.Behavior = new UpstreamBehavior { FailWithStatus = 503, FailureMessage = "overloaded" };

        using var response = await gateway.Client.PostAsync("api/chat", Json(HelloMessages));

        var problem = await AssertProblemAsync(response, HttpStatusCode.BadGateway, "upstream_error");
        Assert.Equal(503, problem.GetProperty("upstreamStatus").GetInt32());
        Assert.Equal(4, Upstream.Requests.Count);
    }

    [Fact]
    public async Task Stream_FailureAfterFirstByte_IsNotRetriedAndClientIsTold()
    {
        var gateway = await StartGatewayAsync(("MODEL_ROUTE_MAIN", OpenAIRoute()), ("UPSTREAM_RETRY_DELAY_MS", "10"));
        Upstream.Behavior = new UpstreamBehavior { Chunks = ["one", "two"], BreakAfterChunks = 1 };

        using var response = await gateway.Client.PostAsync("api/chat/stream", Json(HelloMessages));
        var events = await SseReader.ReadAllAsync(response);

        Assert.Equal("{\"content\":\"one\"}", events[0].Data);
        Assert.Equal("error", events[^1].Name);
        Assert.Single(Upstream.Requests);
    }

    [Fact]
    public async Task Chat_UpstreamSilentBeforeAnswer_Answers504NamingReadTimeout()
    {
        var gateway = await StartGatewayAsync(("MODEL_ROUTE_MAIN", OpenAIRoute()), ("READ_TIMEOUT_SECONDS", "1"));
        Upstream.Behavior = new UpstreamBehavior { FirstByteDelay = TimeSpan.FromSeconds(4) };

        using var response = await gateway.Client.PostAsync("api/chat", Json(HelloMessages));

        var problem = await AssertProblemAsync(response, HttpStatusCode.GatewayTimeout, "upstream_timeout");
        Assert.Equal("read", problem.GetProperty("timeout").GetString());
        Assert.Contains("READ_TIMEOUT_SECONDS", problem.GetProperty("detail").GetString());
        Assert.Single(Upstream.Requests);
    }

    [Fact]
    public async Task Stream_UpstreamSilentMidStream_EndsWithReadTimeoutEvent()
    {
        var gateway = await StartGatewayAsync(
            ("MODEL_ROUTE_MAIN", OllamaRoute()), ("READ_TIMEOUT_SECONDS", "1"), ("SSE_HEARTBEAT_SECONDS", "0"));
        Upstream.Behavior = new UpstreamBehavior { Chunks = ["one", "two"], ChunkDelay = TimeSpan.FromSeconds(4) };

        using var response = await gateway.Client.PostAsync("api/chat/stream", Json(HelloMessages));
        var events = await SseReader.ReadAllAsync(response);

        Assert.Equal("{\"content\":\"one\"}", events[0].Data);
        var error = events[^1];
        Assert.Equal("error", error.Name);
        var problem = JsonDocument.Parse(error.Data).RootElement;
        Assert.Equal("upstream_timeout", problem.GetProperty("errorCode").GetString());
        Assert.Equal("read", problem.GetProperty("timeout").GetString());
    }

    [Fact]
    public async Task Chat_UpstreamNeverReadsRequest_Answers504NamingWriteTimeout()
    {
        using var silent = SilentTcpServer.StartAccepting();
        var gateway = await StartGatewayAsync(
            ("MODEL_ROUTE_MAIN", $"openai|http://127.0.0.1:{silent.Port}/v1|m"),
            ("WRITE_TIMEOUT_SECONDS", "1"),
            ("MAX_REQUEST_BODY_BYTES", $"{64 * 1024 * 1024}"));
        var huge = $$"""{"messages":[{"role":"user","content":"{{new string('x', 32 * 1024 * 1024)}}"}]}""";

        using var response = await gateway.Client.PostAsync("api/chat", Json(huge));

        var problem = await AssertProblemAsync(response, HttpStatusCode.GatewayTimeout, "upstream_timeout");
        Assert.Equal("write", problem.GetProperty("timeout").GetString());
    }

    [Fact]
    public async Task Chat_UpstreamNeverAccepts_Answers504NamingConnectTimeout()
    {
        using var unresponsive = await SilentTcpServer.StartUnresponsiveAsync();
        var gateway = await StartGatewayAsync(
            ("MODEL_ROUTE_MAIN", $"ollama|http://127.0.0.1:{unresponsive.Port}|m"),
            ("CONNECT_TIMEOUT_SECONDS", "1"),
            ("UPSTREAM_MAX_RETRIES", "1"),
            ("UPSTREAM_RETRY_DELAY_MS", "10"));

        var started = Stopwatch.GetTimestamp();
        using var response = await gateway.Client.PostAsync("api/chat", Json(HelloMessages));

        var problem = await AssertProblemAsync(response, HttpStatusCode.GatewayTimeout, "upstream_timeout");
        Assert.Equal("connect", problem.GetProperty("timeout").GetString());
        Assert.True(Stopwatch.GetElapsedTime(started) >= TimeSpan.FromSeconds(1.9), "a connect timeout is retried once here");
    }
}
