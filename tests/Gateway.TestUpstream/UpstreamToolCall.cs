namespace Gateway.TestUpstream;

/// <summary>One tool call the fake upstream answers with (see <see cref="UpstreamBehavior.ToolCalls"/>).</summary>
/// <param name="Id">The call's id, e.g. <c>call_1</c>.</param>
/// <param name="Name">The function's name.</param>
/// <param name="ArgumentFragments">
/// The arguments' text in the pieces a stream sends them in, one chunk each; a non-streamed answer
/// carries them joined. They need not be valid JSON: a test may script a model that writes broken arguments.
/// </param>
public sealed record UpstreamToolCall(string Id, string Name, IReadOnlyList<string> ArgumentFragments)
{
    /// <summary>A call whose arguments a stream sends in one piece.</summary>
    public UpstreamToolCall(string id, string name, string arguments)
        : this(id, name, [arguments])
    {
    }

    /// <summary>The fragments joined: the whole arguments' text.</summary>
    public string Arguments => string.Concat(ArgumentFragments);
}
