using Gateway.Core.Chat;
using Gateway.TestUpstream;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;

namespace Gateway.Core.Tests.Resilience;

/// <summary>What the upstream retries log: one warning per retry naming the route and why, nothing for an attempt that worked.</summary>
public sealed class UpstreamRetryLoggingTests : IAsyncLifetime
{
    private static readonly ChatMessage[] Hello = [new(ChatRole.User, "Hello")];
    private TestUpstreamServer _upstream = null!;
    private FakeLogCollector _logs = null!;

    public async Task InitializeAsync() => _upstream = await TestUpstreamServer.StartAsync();

    public async Task DisposeAsync() => await _upstream.DisposeAsync();

    private ChatService Connect()
    {
        var services = GatewayServices.Build(
            services => services.AddLogging(logging => logging.SetMinimumLevel(LogLevel.Trace).AddFakeLogging()),
            ("MODEL_ROUTE_MAIN", $"openai|{_upstream.OpenAIBaseAddress}|test-model"),
            ("UPSTREAM_RETRY_DELAY_MS", "1"));
        _logs = services.GetFakeLogCollector();
        return services.GetRequiredService<ChatService>();
    }

    private IReadOnlyList<FakeLogRecord> Shown() =>
        _logs.GetSnapshot().Where(record => record.Level is >= LogLevel.Information and < LogLevel.None).ToList();

    [Fact]
    public async Task Complete_TransientFailureThenSuccess_LogsOneWarningNamingRouteAndReason()
    {
        var chat = Connect();
        _upstream.Behavior = new UpstreamBehavior { FailWithStatus = 503, FailTimes = 1 };

        await chat.CompleteAsync(chat.Router.Resolve("main"), Hello, null);

        Assert.DoesNotContain(Shown(), record => record.Category?.StartsWith("Polly", StringComparison.Ordinal) == true);
        var retry = Assert.Single(Shown(), record => record.Level == LogLevel.Warning);
        Assert.Contains("Route 'main'", retry.Message, StringComparison.Ordinal);
        Assert.Contains("HTTP 503", retry.Message, StringComparison.Ordinal);
        Assert.Contains("retry 1", retry.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Complete_FirstAttemptSucceeds_LogsNothingAtInformationOrAbove()
    {
        var chat = Connect();

        await chat.CompleteAsync(chat.Router.Resolve("main"), Hello, null);

        // HttpClient's own request lines are the host's to filter (System.Net.Http.HttpClient, as the sample host does).
        Assert.DoesNotContain(Shown(), record => record.Category?.StartsWith("System.Net.Http", StringComparison.Ordinal) != true);
    }
}
