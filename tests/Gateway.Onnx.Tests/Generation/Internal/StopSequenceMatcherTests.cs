using Gateway.Onnx.Generation.Internal;

namespace Gateway.Onnx.Tests.Generation.Internal;

public sealed class StopSequenceMatcherTests
{
    [Fact]
    public void Append_NoStopSequences_PassesEveryPieceThrough()
    {
        var matcher = new StopSequenceMatcher(null);

        Assert.Equal("ab", matcher.Append("ab"));
        Assert.Equal("c", matcher.Append("c"));
        Assert.Equal(string.Empty, matcher.Flush());
        Assert.False(matcher.Stopped);
    }

    [Fact]
    public void Append_StopSplitAcrossPieces_HoldsThePrefixBackAndCutsBeforeTheStop()
    {
        var matcher = new StopSequenceMatcher(["END"]);

        Assert.Equal("hello ", matcher.Append("hello E"));
        Assert.Equal(string.Empty, matcher.Append("N"));
        Assert.Equal(string.Empty, matcher.Append("D and more"));
        Assert.True(matcher.Stopped);
        Assert.Equal(string.Empty, matcher.Append("later"));
        Assert.Equal(string.Empty, matcher.Flush());
    }

    [Fact]
    public void Append_PrefixThatDoesNotBecomeTheStop_IsReleasedOnceRuledOut()
    {
        var matcher = new StopSequenceMatcher(["END"]);

        Assert.Equal("a", matcher.Append("aEN"));
        Assert.Equal("ENx", matcher.Append("x"));
        Assert.False(matcher.Stopped);
    }

    [Fact]
    public void Flush_AnswerEndsOnAPrefix_ReleasesTheHeldText()
    {
        var matcher = new StopSequenceMatcher(["###"]);

        Assert.Equal("text", matcher.Append("text##"));
        Assert.Equal("##", matcher.Flush());
    }

    [Fact]
    public void Append_SeveralStops_CutsAtTheEarliest()
    {
        var matcher = new StopSequenceMatcher(["world", "lo w"]);

        Assert.Equal("hel", matcher.Append("hello world"));
        Assert.True(matcher.Stopped);
    }

    [Fact]
    public void Append_StopInsideOnePiece_KeepsTheTextBeforeIt()
    {
        var matcher = new StopSequenceMatcher(["\n\n", string.Empty]);

        Assert.Equal("one", matcher.Append("one\n\ntwo"));
        Assert.True(matcher.Stopped);
    }
}
