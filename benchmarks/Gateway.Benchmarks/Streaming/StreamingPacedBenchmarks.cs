using BenchmarkDotNet.Attributes;
using Gateway.Benchmarks.Infrastructure;
using Gateway.TestUpstream;

namespace Gateway.Benchmarks.Streaming;

/// <summary>
/// A paced stream like a real model's: one chunk every 2 ms. Added latency per chunk =
/// (Mean − Direct Mean) / Chunks.
/// </summary>
[MemoryDiagnoser]
public class StreamingPacedBenchmarks
{
    public const int Chunks = 50;

    private StreamingRig _rig = null!;

    [GlobalSetup]
    public void Setup() =>
        _rig = StreamingRig.StartAsync(new UpstreamBehavior
        {
            Chunks = Enumerable.Repeat("token ", Chunks).ToArray(),
            ChunkDelay = TimeSpan.FromMilliseconds(2),
        }).GetAwaiter().GetResult();

    [GlobalCleanup]
    public void Cleanup() => _rig.DisposeAsync().AsTask().GetAwaiter().GetResult();

    [Benchmark(Baseline = true, Description = "Direct upstream")]
    public Task<long> Direct() => _rig.Client.StreamAsync(_rig.DirectAddress);

    [Benchmark(Description = "Pass-through relay")]
    public Task<long> Relay() => _rig.Client.StreamAsync(_rig.RelayAddress);

    [Benchmark(Description = "Gateway /api/chat/stream")]
    public Task<long> Gateway() => _rig.Client.StreamAsync(_rig.GatewayAddress);
}
