using BenchmarkDotNet.Attributes;
using Gateway.AspNetCore.Metrics;
using Gateway.Benchmarks.Infrastructure;
using Gateway.Core.Routing;
using Gateway.Core.Telemetry;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Benchmarks.Pipeline;

/// <summary>
/// What <c>AddOpenTelemetry()</c> adds to a streamed request: a route's pipeline as <c>ChatService</c> builds it
/// (metrics → total timeout → provider, here a canned upstream with no I/O), with the Prometheus exporter listening,
/// against the same with Microsoft.Extensions.AI's <c>UseOpenTelemetry()</c> outside it, once with nothing subscribed
/// to its source and once with every span and measurement taken as an exporter would.
/// </summary>
[MemoryDiagnoser]
public class OpenTelemetryPipelineBenchmarks
{
    private const string UnlistenedSource = "Gateway.Benchmarks.Unlistened";
    private static readonly ChatMessage[] Messages = [new(ChatRole.User, "Hi")];

    private ServiceProvider _services = null!;
    private PrometheusExporter _exporter = null!;
    private GenAITelemetryListener _listener = null!;
    private IChatClient _plain = null!;
    private IChatClient _unlistened = null!;
    private IChatClient _exported = null!;

    [Params(10, 1000)]
    public int Chunks { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        RouteKey.TryParse("bench", out var key);
        var route = new ModelRoute(key, "openai", "http://127.0.0.1/v1", "bench-model", null);
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().Build());
        services.AddLogging();
        services.AddGateway();
        _services = services.BuildServiceProvider();
        _exporter = new PrometheusExporter();
        _listener = new GenAITelemetryListener();
        var upstream = new CannedStreamChatClient(Chunks);
        _plain = Route(new ChatClientBuilder(upstream), route);
        _unlistened = Route(new ChatClientBuilder(upstream).UseOpenTelemetry(sourceName: UnlistenedSource), route);
        _exported = Route(new ChatClientBuilder(upstream).UseOpenTelemetry(sourceName: GatewayOpenTelemetry.ActivitySourceName), route);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _listener.Dispose();
        _exporter.Dispose();
        _services.Dispose();
    }

    [Benchmark(Baseline = true, Description = "Route pipeline")]
    public Task<int> Plain() => StreamAsync(_plain);

    [Benchmark(Description = "+ OpenTelemetry, not listened to")]
    public Task<int> Unlistened() => StreamAsync(_unlistened);

    [Benchmark(Description = "+ OpenTelemetry, exported")]
    public Task<int> Exported() => StreamAsync(_exported);

    private IChatClient Route(ChatClientBuilder pipeline, ModelRoute route) =>
        pipeline.UseGatewayMetrics(route).UseTotalTimeout(route).Build(_services);

    private static async Task<int> StreamAsync(IChatClient client)
    {
        var count = 0;
        await foreach (var _ in client.GetStreamingResponseAsync(Messages))
        {
            count++;
        }

        return count;
    }
}
