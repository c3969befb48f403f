using System.Diagnostics.Metrics;
using Gateway.Core.Chat;
using Gateway.Core.Errors;
using Gateway.Core.Metrics;
using Gateway.Core.Routing;
using Gateway.TestUpstream;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Core.Tests.Routing;

/// <summary>MODEL_FALLBACKS_&lt;KEY&gt; against real loopback upstreams: before the first byte only, marked and counted.</summary>
public sealed class RouteFallbackTests : IAsyncLifetime
{
    private static readonly ChatMessage[] Hello = [new(ChatRole.User, "Hello")];
    private TestUpstreamServer _primary = null!;
    private TestUpstreamServer _backup = null!;

    public async Task InitializeAsync()
    {
        _primary = await TestUpstreamServer.StartAsync();
        _backup = await TestUpstreamServer.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await _primary.DisposeAsync();
        await _backup.DisposeAsync();
    }

    private (ChatService Chat, ModelRoute Route, GatewayMetrics Metrics) Connect(Uri primary)
    {
        var services = GatewayServices.Build(
            ("MODEL_ROUTE_MAIN", $"openai|{primary}|test-model"),
            ("MODEL_ROUTE_BACKUP", $"ollama|{_backup.BaseAddress}|backup-model"),
            ("MODEL_FALLBACKS_MAIN", "backup"),
            ("UPSTREAM_MAX_RETRIES", "0"));
        var chat = services.GetRequiredService<ChatService>();
        return (chat, chat.Router.Resolve("main"), services.GetRequiredService<GatewayMetrics>());
    }

    [Fact]
    public async Task Complete_PrimaryRefusesConnections_TheFallbackAnswersMarkedAndCounted()
    {
        var (chat, route, metrics) = Connect(DeploymentBalancingTests.ClosedPort());
        using var fallbacks = new FallbackCounter(metrics);

        var response = await chat.CompleteAsync(route, Hello, null);

        Assert.Equal("Hello, world!", response.Text);
        Assert.Equal("backup", AnsweringRoute.Get(response)?.Value);
        Assert.Single(_backup.Requests);
        Assert.Equal([("main", "backup")], fallbacks.Counted);
    }

    [Fact]
    public async Task Stream_PrimaryAnswers503_TheFallbackStreamsAndItsFirstUpdateIsMarked()
    {
        var (chat, route, metrics) = Connect(_primary.OpenAIBaseAddress);
        using var fallbacks = new FallbackCounter(metrics);
        _primary.Behavior = new UpstreamBehavior { FailWithStatus = 503 };
        _backup.Behavior = new UpstreamBehavior { Chunks = ["from", " backup"] };

        var updates = await chat.StreamAsync(route, Hello, null).ToListAsync();

        Assert.Equal("from backup", string.Concat(updates.Select(update => update.Text)));
        Assert.Equal("backup", AnsweringRoute.Get(updates[0])?.Value);
        Assert.Single(_primary.Requests);
        Assert.Equal([("main", "backup")], fallbacks.Counted);
    }

    [Fact]
    public async Task Stream_PrimaryBreaksAfterTheFirstByte_NoFallback()
    {
        var (chat, route, metrics) = Connect(_primary.OpenAIBaseAddress);
        using var fallbacks = new FallbackCounter(metrics);
        _primary.Behavior = new UpstreamBehavior { Chunks = ["partial", " answer"], BreakAfterChunks = 1 };

        var seen = new List<string>();
        var error = await Assert.ThrowsAsync<GatewayException>(async () =>
        {
            await foreach (var update in chat.StreamAsync(route, Hello, null))
            {
                seen.Add(update.Text);
            }
        });

        Assert.Equal(GatewayErrorCodes.UpstreamUnavailable, error.ErrorCode);
        Assert.Equal(["partial"], seen.Where(text => text.Length > 0));
        Assert.Empty(_backup.Requests);
        Assert.Empty(fallbacks.Counted);
    }

    [Fact]
    public async Task Complete_PrimaryRejectsTheRequest_NoFallback()
    {
        var (chat, route, _) = Connect(_primary.OpenAIBaseAddress);
        _primary.Behavior = new UpstreamBehavior { FailWithStatus = 400 };

        var error = await Assert.ThrowsAsync<GatewayException>(() => chat.CompleteAsync(route, Hello, null));

        Assert.Equal(GatewayErrorCodes.UpstreamBadRequest, error.ErrorCode);
        Assert.Empty(_backup.Requests);
    }

    [Fact]
    public async Task CompleteTurn_PrimaryRefusesConnections_TheTurnNamesTheFallback()
    {
        var (chat, _, _) = Connect(DeploymentBalancingTests.ClosedPort());
        var turn = await chat.BeginTurnAsync(new ChatTurnRequest("main", Hello, null, null, null, false, null, null));

        await chat.CompleteTurnAsync(turn);

        Assert.Equal("main", turn.Route.Key.Value);
        Assert.Equal("backup", turn.AnsweringRoute.Value);
    }

    /// <summary>Listens to <c>gateway.route.fallbacks</c> of one <see cref="GatewayMetrics"/>.</summary>
    private sealed class FallbackCounter : IDisposable
    {
        private readonly MeterListener _listener = new();
        private readonly List<(string From, string To)> _counted = [];

        public FallbackCounter(GatewayMetrics metrics)
        {
            _listener.InstrumentPublished = (instrument, listener) =>
            {
                if (instrument == metrics.RouteFallbacks)
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            };
            _listener.SetMeasurementEventCallback<long>((_, _, tags, _) =>
            {
                string? from = null, to = null;
                foreach (var tag in tags)
                {
                    from = tag.Key == "from" ? (string?)tag.Value : from;
                    to = tag.Key == "to" ? (string?)tag.Value : to;
                }

                lock (_counted)
                {
                    _counted.Add((from!, to!));
                }
            });
            _listener.Start();
        }

        public IReadOnlyList<(string From, string To)> Counted
        {
            get
            {
                lock (_counted)
                {
                    return [.. _counted];
                }
            }
        }

        public void Dispose() => _listener.Dispose();
    }
}
