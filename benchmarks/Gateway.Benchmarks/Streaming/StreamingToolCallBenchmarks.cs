using BenchmarkDotNet.Attributes;
using Gateway.TestUpstream;

namespace Gateway.Benchmarks.Streaming;

/// <summary>
/// A streamed tool call: the upstream sends one call whose arguments arrive in <see cref="Fragments"/>
/// chunks back to back (OpenAI's <c>delta.tool_calls</c>), which the gateway puts together and sends as
/// one <c>tool_call</c> event. Allocation per fragment = Allocated / Fragments, against the plain-text
/// rows of <see cref="StreamingBurstBenchmarks"/> with as many chunks.
/// </summary>
public class StreamingToolCallBenchmarks : StreamingPathBenchmarks
{
    [Params(100, 1000)]
    public int Fragments { get; set; }

    protected override UpstreamBehavior Behavior => new()
    {
        ToolCalls = [new UpstreamToolCall("call_1", "get_weather", ["{\"city\":\"", .. Enumerable.Repeat("token ", Fragments - 2), "\"}"])],
    };
}
