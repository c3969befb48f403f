using BenchmarkDotNet.Attributes;
using Gateway.Benchmarks.Infrastructure;
using Gateway.TestUpstream;

namespace Gateway.Benchmarks.Streaming;

/// <summary>
/// Time to first byte of a one-chunk stream: request sent → first body byte received. Added TTFB =
/// Median − Direct Median.
/// </summary>
[MemoryDiagnoser]
public class TimeToFirstByteBenchmarks
{
    private StreamingRig _rig = null!;

    [GlobalSetup]
    public void Setup() => _rig = StreamingRig.StartAsync(new UpstreamBehavior { Chunks = ["token"] }).GetAwaiter().GetResult();

    [GlobalCleanup]
    public void Cleanup() => _rig.DisposeAsync().AsTask().GetAwaiter().GetResult();

    [Benchmark(Baseline = true, Description = "Direct upstream")]
    public Task<TimeSpan> Direct() => _rig.Client.TimeToFirstByteAsync(_rig.DirectAddress);

    [Benchmark(Description = "Pass-through relay")]
    public Task<TimeSpan> Relay() => _rig.Client.TimeToFirstByteAsync(_rig.RelayAddress);

    [Benchmark(Description = "Gateway /api/chat/stream")]
    public Task<TimeSpan> Gateway() => _rig.Client.TimeToFirstByteAsync(_rig.GatewayAddress);
}
