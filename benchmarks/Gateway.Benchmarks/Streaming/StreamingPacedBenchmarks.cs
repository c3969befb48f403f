using Gateway.TestUpstream;

namespace Gateway.Benchmarks.Streaming;

/// <summary>
/// A paced stream like a real model's: one chunk every 2 ms. Added latency per chunk =
/// (Mean − Direct Mean) / Chunks.
/// </summary>
public class StreamingPacedBenchmarks : StreamingPathBenchmarks
{
    public const int Chunks = 50;

    protected override UpstreamBehavior Behavior => new()
    {
        Chunks = Enumerable.Repeat("token ", Chunks).ToArray(),
        ChunkDelay = TimeSpan.FromMilliseconds(2),
    };
}
