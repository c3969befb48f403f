using System.Threading.RateLimiting;
using BenchmarkDotNet.Attributes;
using Gateway.AspNetCore.Metrics;
using Gateway.AspNetCore.RateLimiting.Internal;
using Gateway.Core.Metrics;
using Gateway.Core.Routing;
using Microsoft.Extensions.AI;

namespace Gateway.Benchmarks.Pipeline;

/// <summary>
/// What the metrics middleware and the rate-limit check cost per request, against the bare pipeline:
/// the same canned upstream (no I/O) enumerated directly, or behind the in-process rate limiter and
/// <see cref="MetricsChatClient"/> (which also records each request into the route's
/// <see cref="ModelLatencyWindow"/>) with the Prometheus exporter listening. Comparing the two chunk
/// counts separates the per-request cost from any per-chunk cost.
/// </summary>
[MemoryDiagnoser]
public class ChatPipelineBenchmarks
{
    private static readonly ChatMessage[] Messages = [new(ChatRole.User, "Hi")];

    private CannedStreamChatClient _bare = null!;
    private MetricsChatClient _measured = null!;
    private PartitionedRateLimiter<(string Partition, int PermitsPerMinute)> _limiter = null!;
    private PrometheusExporter _exporter = null!;

    [Params(10, 1000)]
    public int Chunks { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        RouteKey.TryParse("bench", out var key);
        _exporter = new PrometheusExporter();
        _bare = new CannedStreamChatClient(Chunks);
        _measured = new MetricsChatClient(
            _bare,
            new ModelRoute(key, "openai", "http://127.0.0.1/v1", "bench-model", null),
            new GatewayMetrics(),
            new ModelLatencyWindow(TimeSpan.FromMinutes(5), 1024, TimeProvider.System),
            TimeProvider.System);
        _limiter = InProcessRequestCounter.Create();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _limiter.Dispose();
        _exporter.Dispose();
    }

    [Benchmark(Baseline = true, Description = "Bare pipeline")]
    public async Task<int> Bare()
    {
        var count = 0;
        await foreach (var _ in _bare.GetStreamingResponseAsync(Messages))
        {
            count++;
        }

        return count;
    }

    [Benchmark(Description = "Rate limit + metrics")]
    public async Task<int> Measured()
    {
        using var lease = _limiter.AttemptAcquire(("bench-key", int.MaxValue));
        var count = lease.IsAcquired ? 0 : -1;
        await foreach (var _ in _measured.GetStreamingResponseAsync(Messages))
        {
            count++;
        }

        return count;
    }
}
