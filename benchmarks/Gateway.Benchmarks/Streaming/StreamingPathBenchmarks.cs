using BenchmarkDotNet.Attributes;
using Gateway.Benchmarks.Infrastructure;
using Gateway.TestUpstream;

namespace Gateway.Benchmarks.Streaming;

/// <summary>
/// One whole streamed answer over each of the three paths: the test upstream read directly (the
/// baseline), the pass-through relay, and the gateway. Subclasses say how the upstream streams.
/// </summary>
[MemoryDiagnoser]
public abstract class StreamingPathBenchmarks
{
    private StreamingRig _rig = null!;

    /// <summary>How the test upstream streams in this benchmark.</summary>
    protected abstract UpstreamBehavior Behavior { get; }

    [GlobalSetup]
    public void Setup() => _rig = StreamingRig.StartAsync(Behavior).GetAwaiter().GetResult();

    [GlobalCleanup]
    public void Cleanup() => _rig.DisposeAsync().AsTask().GetAwaiter().GetResult();

    [Benchmark(Baseline = true, Description = "Direct upstream")]
    public Task<long> Direct() => _rig.Client.StreamAsync(_rig.DirectAddress);

    [Benchmark(Description = "Pass-through relay")]
    public Task<long> Relay() => _rig.Client.StreamAsync(_rig.RelayAddress);

    [Benchmark(Description = "Gateway /api/chat/stream")]
    public Task<long> Gateway() => _rig.Client.StreamAsync(_rig.GatewayAddress);
}
