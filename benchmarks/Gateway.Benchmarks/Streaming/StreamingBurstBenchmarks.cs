using BenchmarkDotNet.Attributes;
using Gateway.Benchmarks.Infrastructure;
using Gateway.TestUpstream;

namespace Gateway.Benchmarks.Streaming;

/// <summary>
/// Burst throughput: the upstream sends <see cref="Chunks"/> deltas back to back. Events/s =
/// Chunks / Mean; allocation per chunk = Allocated / Chunks, and comparing the two chunk counts shows
/// whether allocation grows with stream length. All three paths run in this process, so Allocated
/// includes the upstream and the client; read the gateway's cost against the Direct baseline.
/// </summary>
[MemoryDiagnoser]
public class StreamingBurstBenchmarks
{
    private StreamingRig _rig = null!;

    [Params(100, 1000)]
    public int Chunks { get; set; }

    [GlobalSetup]
    public void Setup() =>
        _rig = StreamingRig.StartAsync(new UpstreamBehavior { Chunks = Enumerable.Repeat("token ", Chunks).ToArray() }).GetAwaiter().GetResult();

    [GlobalCleanup]
    public void Cleanup() => _rig.DisposeAsync().AsTask().GetAwaiter().GetResult();

    [Benchmark(Baseline = true, Description = "Direct upstream")]
    public Task<long> Direct() => _rig.Client.StreamAsync(_rig.DirectAddress);

    [Benchmark(Description = "Pass-through relay")]
    public Task<long> Relay() => _rig.Client.StreamAsync(_rig.RelayAddress);

    [Benchmark(Description = "Gateway /api/chat/stream")]
    public Task<long> Gateway() => _rig.Client.StreamAsync(_rig.GatewayAddress);
}
