namespace Gateway.TestUpstream.Internal;

/// <summary>One chunk of a streamed tool-call answer: the start of call <paramref name="Call"/> (its id and name), or one of its argument fragments.</summary>
/// <param name="Call">The call's index in the answer.</param>
/// <param name="Fragment">The argument fragment this chunk carries; <see cref="Start"/> for the chunk that opens the call.</param>
internal readonly record struct ToolCallStep(int Call, int Fragment)
{
    public const int Start = -1;

    public bool IsStart => Fragment == Start;

    /// <summary>Every call's start then its fragments, call after call; or, <paramref name="interleave"/>d, the starts and then the n-th fragment of each call in turn.</summary>
    public static ToolCallStep[] Plan(IReadOnlyList<UpstreamToolCall> calls, bool interleave)
    {
        var steps = new List<ToolCallStep>();
        if (!interleave)
        {
            for (var call = 0; call < calls.Count; call++)
            {
                steps.Add(new ToolCallStep(call, Start));
                for (var fragment = 0; fragment < calls[call].ArgumentFragments.Count; fragment++)
                {
                    steps.Add(new ToolCallStep(call, fragment));
                }
            }

            return [.. steps];
        }

        var longest = 0;
        for (var call = 0; call < calls.Count; call++)
        {
            steps.Add(new ToolCallStep(call, Start));
            longest = Math.Max(longest, calls[call].ArgumentFragments.Count);
        }

        for (var fragment = 0; fragment < longest; fragment++)
        {
            for (var call = 0; call < calls.Count; call++)
            {
                if (fragment < calls[call].ArgumentFragments.Count)
                {
                    steps.Add(new ToolCallStep(call, fragment));
                }
            }
        }

        return [.. steps];
    }
}
