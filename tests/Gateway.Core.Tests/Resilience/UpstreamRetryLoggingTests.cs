using Gateway.Core.Chat;
using Gateway.TestUpstream;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Gateway.Core.Tests.Resilience;

/// <summary>What the upstream retries log: one warning per retry naming the route and why, nothing for an attempt that worked.</summary>
public sealed class UpstreamRetryLoggingTests : IAsyncLifetime
{
    private static readonly ChatMessage[] Hello = [new(ChatRole.User, "Hello")];
    private readonly CapturedLogs _logs = new();
    private TestUpstreamServer _upstream = null!;

    public async Task InitializeAsync() => _upstream = await TestUpstreamServer.StartAsync();

    public async Task DisposeAsync() => await _upstream.DisposeAsync();

    private ChatService Connect() => GatewayServices.Build(
        services => services.AddLogging(logging => logging.SetMinimumLevel(LogLevel.Trace).AddProvider(_logs)),
        ("MODEL_ROUTE_MAIN", $"openai|{_upstream.OpenAIBaseAddress}|test-model"),
        ("UPSTREAM_RETRY_DELAY_MS", "1")).GetRequiredService<ChatService>();

    /// <summary>What the default level (Information) shows; <see cref="LogLevel.None"/> is never written by a real logger.</summary>
    private static bool IsShown(LogLevel level) => level is >= LogLevel.Information and < LogLevel.None;

    [Fact]
    public async Task Complete_TransientFailureThenSuccess_LogsOneWarningNamingRouteAndReason()
    {
        var chat = Connect();
        _upstream.Behavior = new UpstreamBehavior { FailWithStatus = 503, FailTimes = 1 };

        await chat.CompleteAsync(chat.Router.Resolve("main"), Hello, null);

        var polly = _logs.Lines.Where(line => line.Category.StartsWith("Polly", StringComparison.Ordinal) && IsShown(line.Level));
        Assert.Empty(polly);
        var retry = Assert.Single(_logs.Lines, line => line.Level == LogLevel.Warning);
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
        Assert.DoesNotContain(_logs.Lines, line => IsShown(line.Level) && !line.Category.StartsWith("System.Net.Http", StringComparison.Ordinal));
    }
}
