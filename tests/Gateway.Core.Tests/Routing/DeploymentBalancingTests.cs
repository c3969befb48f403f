using System.Net;
using System.Net.Sockets;
using Gateway.Core.Chat;
using Gateway.Core.Errors;
using Gateway.Core.Routing;
using Gateway.TestUpstream;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Gateway.Core.Tests.Routing;

/// <summary>
/// Several deployments of one route against real loopback upstreams: least-outstanding spreading, a
/// deployment that refuses connections taken out for its cool-down, and its recovery after it.
/// </summary>
public sealed class DeploymentBalancingTests : IAsyncLifetime
{
    private static readonly ChatMessage[] Hello = [new(ChatRole.User, "Hello")];
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 3, 10, 0, 0, TimeSpan.Zero));
    private TestUpstreamServer _first = null!;
    private TestUpstreamServer _second = null!;

    public async Task InitializeAsync()
    {
        _first = await TestUpstreamServer.StartAsync();
        _second = await TestUpstreamServer.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await _first.DisposeAsync();
        await _second.DisposeAsync();
    }

    /// <summary>A loopback address nothing listens on: connecting is refused at once.</summary>
    internal static Uri ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return new Uri($"http://127.0.0.1:{port}/v1");
    }

    private (ChatService Chat, ModelRoute Route, DeploymentBalancer Balancer) Connect(params Uri[] deployments)
    {
        var services = GatewayServices.Build(
            services => services.AddSingleton<TimeProvider>(_time),
            ("MODEL_ROUTE_MAIN", string.Join(';', deployments.Select(endpoint => $"openai|{endpoint}|test-model"))),
            ("UPSTREAM_MAX_RETRIES", "0"),
            ("DEPLOYMENT_FAILURE_THRESHOLD", "2"),
            ("DEPLOYMENT_COOLDOWN_SECONDS", "30"));
        var chat = services.GetRequiredService<ChatService>();
        return (chat, chat.Router.Resolve("main"), services.GetRequiredService<DeploymentBalancer>());
    }

    [Fact]
    public async Task Complete_OneRequestAtATime_AlternatesBetweenTwoDeployments()
    {
        var (chat, route, _) = Connect(_first.OpenAIBaseAddress, _second.OpenAIBaseAddress);

        for (var i = 0; i < 10; i++)
        {
            await chat.CompleteAsync(route, Hello, null);
        }

        // Nothing is outstanding between sequential requests, so the round robin decides: exactly half each.
        Assert.Equal((5, 5), (_first.Requests.Count, _second.Requests.Count));
    }

    [Fact]
    public async Task Complete_WhileOneDeploymentServesAStream_GoesToTheOtherOne()
    {
        var (chat, route, balancer) = Connect(_first.OpenAIBaseAddress, _second.OpenAIBaseAddress);
        _first.Behavior = _second.Behavior = new UpstreamBehavior { Chunks = ["a", "b"], ChunkDelay = TimeSpan.FromSeconds(30) };
        var open = chat.StreamAsync(route, Hello, null).GetAsyncEnumerator();
        Assert.True(await open.MoveNextAsync());
        var busy = _first.Requests.Count == 1 ? _first : _second;
        var idle = busy == _first ? _second : _first;
        idle.Behavior = new UpstreamBehavior();

        for (var i = 0; i < 6; i++)
        {
            await chat.CompleteAsync(route, Hello, null);
        }

        Assert.Single(busy.Requests);
        Assert.Equal(6, idle.Requests.Count);
        Assert.Equal([1, 0], balancer.GetStatus(route).Select(s => s.OutstandingRequests).OrderDescending());
        await open.DisposeAsync();
        Assert.All(balancer.GetStatus(route), status => Assert.Equal(0, status.OutstandingRequests));
    }

    [Fact]
    public async Task Complete_ConcurrentRequests_SpreadEvenlyOverTwoDeployments()
    {
        var (chat, route, _) = Connect(_first.OpenAIBaseAddress, _second.OpenAIBaseAddress);
        _first.Behavior = _second.Behavior = new UpstreamBehavior { FirstByteDelay = TimeSpan.FromMilliseconds(200) };

        await Task.WhenAll(Enumerable.Range(0, 40).Select(_ => chat.CompleteAsync(route, Hello, null)));

        // Tolerance: each gets 20 ± 4 of the 40; the round robin alone would give exactly 20, the
        // outstanding counts move a few when requests finish while others are still being placed.
        Assert.Equal(40, _first.Requests.Count + _second.Requests.Count);
        Assert.InRange(_first.Requests.Count, 16, 24);
    }

    [Fact]
    public async Task Complete_DeploymentRefusingConnections_IsSkippedAndCoolsDown()
    {
        var (chat, route, balancer) = Connect(ClosedPort(), _first.OpenAIBaseAddress);

        for (var i = 0; i < 8; i++)
        {
            var response = await chat.CompleteAsync(route, Hello, null);
            Assert.Equal("Hello, world!", response.Text);
        }

        Assert.Equal(8, _first.Requests.Count);
        var refused = balancer.GetStatus(route)[0];
        Assert.Equal(DeploymentCircuitState.Open, refused.State);
        Assert.Equal(_time.GetUtcNow().AddSeconds(30), refused.CoolingDownUntil);
        Assert.Equal(DeploymentCircuitState.Closed, balancer.GetStatus(route)[1].State);
    }

    [Fact]
    public async Task Complete_AfterTheCoolDown_TheDeploymentIsTriedAgainAndRecovers()
    {
        var (chat, route, balancer) = Connect(_first.OpenAIBaseAddress, _second.OpenAIBaseAddress);
        _first.Behavior = new UpstreamBehavior { FailWithStatus = 503 };
        for (var i = 0; i < 6; i++)
        {
            await chat.CompleteAsync(route, Hello, null);
        }

        // Two failures open it; after that only the second deployment is asked.
        Assert.Equal(2, _first.Requests.Count);
        Assert.Equal(DeploymentCircuitState.Open, balancer.GetStatus(route)[0].State);

        _first.Behavior = new UpstreamBehavior();
        _time.Advance(TimeSpan.FromSeconds(29));
        await chat.CompleteAsync(route, Hello, null);
        await chat.CompleteAsync(route, Hello, null);
        Assert.Equal(2, _first.Requests.Count);

        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(DeploymentCircuitState.HalfOpen, balancer.GetStatus(route)[0].State);
        for (var i = 0; i < 4; i++)
        {
            await chat.CompleteAsync(route, Hello, null);
        }

        Assert.Equal(DeploymentCircuitState.Closed, balancer.GetStatus(route)[0].State);
        Assert.Null(balancer.GetStatus(route)[0].CoolingDownUntil);
        Assert.InRange(_first.Requests.Count, 3, 5);
    }

    [Fact]
    public async Task Complete_EveryDeploymentCoolingDown_FailsAtOnceNamingWhenTheyAreTriedAgain()
    {
        var (chat, route, _) = Connect(ClosedPort(), ClosedPort());
        for (var i = 0; i < 2; i++)
        {
            var refused = await Assert.ThrowsAsync<GatewayException>(() => chat.CompleteAsync(route, Hello, null));
            Assert.Contains("could not be reached", refused.Message, StringComparison.Ordinal);
        }

        var error = await Assert.ThrowsAsync<GatewayException>(() => chat.CompleteAsync(route, Hello, null));

        Assert.Equal(GatewayErrorCodes.UpstreamUnavailable, error.ErrorCode);
        Assert.Contains("cooling down", error.Message, StringComparison.Ordinal);
        Assert.Equal(_time.GetUtcNow().AddSeconds(30), error.Extensions["coolingDownUntil"]);
    }

    [Fact]
    public async Task Stream_FirstDeploymentRefusesConnections_TheStreamComesFromTheSecond()
    {
        var (chat, route, _) = Connect(ClosedPort(), _first.OpenAIBaseAddress);
        _first.Behavior = new UpstreamBehavior { Chunks = ["a", "b", "c"] };

        for (var i = 0; i < 2; i++)
        {
            var text = string.Concat(await chat.StreamAsync(route, Hello, null).Select(update => update.Text).ToListAsync());
            Assert.Equal("abc", text);
        }

        Assert.Equal(2, _first.Requests.Count);
    }
}
