using Gateway.Core.Providers.OpenAI;

namespace Gateway.Core.Tests.Providers;

/// <summary>The OpenAI chunk reader keeps a choice's <c>logprobs</c> only when the request asked for them.</summary>
public sealed class OpenAIChunkLogprobsTests
{
    private static ReadOnlySpan<byte> ChunkWithLogprobs =>
        """{"choices":[{"index":0,"delta":{"content":"hi"},"logprobs":{"content":[{"token":"hi","logprob":-0.5,"bytes":[104,105],"top_logprobs":[]}]},"finish_reason":null}]}"""u8;

    [Fact]
    public void Parse_LogprobsAsked_KeepsTheChoicesLogprobsObject()
    {
        OpenAIToolCallAccumulator? toolCalls = null;

        var chunk = OpenAIChunk.Parse(ChunkWithLogprobs, readIds: false, readLogprobs: true, ref toolCalls);

        Assert.Equal("hi", chunk.Content);
        Assert.NotNull(chunk.Logprobs);
        Assert.Equal(-0.5, chunk.Logprobs.Value.GetProperty("content")[0].GetProperty("logprob").GetDouble());
    }

    [Fact]
    public void Parse_LogprobsNotAsked_SkipsThem()
    {
        OpenAIToolCallAccumulator? toolCalls = null;

        var chunk = OpenAIChunk.Parse(ChunkWithLogprobs, readIds: false, readLogprobs: false, ref toolCalls);

        Assert.Equal("hi", chunk.Content);
        Assert.Null(chunk.Logprobs);
    }

    [Fact]
    public void Parse_NullLogprobs_IsNone()
    {
        OpenAIToolCallAccumulator? toolCalls = null;

        var chunk = OpenAIChunk.Parse("""{"choices":[{"index":0,"delta":{"content":"hi"},"logprobs":null}]}"""u8, readIds: false, readLogprobs: true, ref toolCalls);

        Assert.Null(chunk.Logprobs);
    }
}
