using BenchmarkDotNet.Attributes;
using Gateway.TestUpstream;

namespace Gateway.Benchmarks.Streaming;

/// <summary>
/// Burst throughput: the upstream sends <see cref="Chunks"/> deltas back to back. Events/s =
/// Chunks / Mean; allocation per chunk = Allocated / Chunks, and comparing the two chunk counts shows
/// whether allocation grows with stream length. All three paths run in this process, so Allocated
/// includes the upstream and the client; read the gateway's cost against the Direct baseline.
/// </summary>
public class StreamingBurstBenchmarks : StreamingPathBenchmarks
{
    [Params(100, 1000)]
    public int Chunks { get; set; }

    protected override UpstreamBehavior Behavior => new() { Chunks = Enumerable.Repeat("token ", Chunks).ToArray() };
}
