using System.Text;
using System.Text.Json;
using Gateway.Core.Chat;
using Gateway.Core.Providers.OpenAI;
using Microsoft.Extensions.AI;

namespace Gateway.Core.Tests.Providers;

/// <summary>The OpenAI chunk reader's tool calls, fed the JSON of chunks as servers send them.</summary>
public sealed class OpenAIToolCallParsingTests
{
    private static List<FunctionCallContent> Accumulate(params string[] chunks)
    {
        OpenAIToolCallAccumulator? toolCalls = null;
        foreach (var chunk in chunks)
        {
            OpenAIChunk.Parse(Encoding.UTF8.GetBytes(chunk), readIds: false, readLogprobs: false, ref toolCalls);
        }

        Assert.NotNull(toolCalls);
        return toolCalls.TakeCalls();
    }

    private static string Delta(string toolCalls) =>
        $$"""{"choices":[{"index":0,"delta":{"tool_calls":{{toolCalls}}},"finish_reason":null}]}""";

    [Fact]
    public void Parse_ArgumentsSplitAcrossChunks_JoinsThemIntoOneCall()
    {
        var calls = Accumulate(
            Delta("""[{"index":0,"id":"call_1","type":"function","function":{"name":"get_weather","arguments":""}}]"""),
            Delta("""[{"index":0,"function":{"arguments":"{\"ci"}}]"""),
            Delta("""[{"index":0,"function":{"arguments":"ty\": \"Par"}}]"""),
            Delta("""[{"index":0,"function":{"arguments":"ís\"}"}}]"""));

        var call = Assert.Single(calls);
        Assert.Equal("call_1", call.CallId);
        Assert.Equal("get_weather", call.Name);
        Assert.Equal("""{"city": "París"}""", ToolCallJson.ArgumentsOf(call));
        Assert.Equal("París", ((JsonElement)call.Arguments!["city"]!).GetString());
    }

    [Fact]
    public void Parse_InterleavedParallelCalls_KeepsEachCallsFragmentsByIndex()
    {
        var calls = Accumulate(
            Delta("""[{"index":1,"id":"call_b","type":"function","function":{"name":"b","arguments":""}}]"""),
            Delta("""[{"index":0,"id":"call_a","type":"function","function":{"name":"a","arguments":"{\"x\""}}]"""),
            Delta("""[{"index":1,"function":{"arguments":"{\"y\":2}"}},{"index":0,"function":{"arguments":":1}"}}]"""));

        Assert.Equal(["call_a", "call_b"], calls.Select(c => c.CallId));
        Assert.Equal(["a", "b"], calls.Select(c => c.Name));
        Assert.Equal("""{"x":1}""", ToolCallJson.ArgumentsOf(calls[0]));
        Assert.Equal("""{"y":2}""", ToolCallJson.ArgumentsOf(calls[1]));
    }

    [Fact]
    public void Parse_IndexAfterTheFunction_StillFindsTheCall()
    {
        var calls = Accumulate(
            Delta("""[{"function":{"name":"a","arguments":"{"},"id":"call_a","index":3}]"""),
            Delta("""[{"function":{"arguments":"}"},"index":3}]"""));

        var call = Assert.Single(calls);
        Assert.Equal("call_a", call.CallId);
        Assert.Equal("{}", ToolCallJson.ArgumentsOf(call));
    }

    [Fact]
    public void Parse_WholeCompletionWithoutIndexes_TakesCallsInArrayOrder()
    {
        var calls = Accumulate("""
            {"id":"x","choices":[{"index":0,"message":{"role":"assistant","content":null,"tool_calls":[
              {"id":"call_1","type":"function","function":{"name":"a","arguments":"{\"n\":1}"}},
              {"id":"call_2","type":"function","function":{"name":"b","arguments":"{\"n\":2}"}}]},"finish_reason":"tool_calls"}]}
            """);

        Assert.Equal(["call_1", "call_2"], calls.Select(c => c.CallId));
        Assert.Equal(2, ((JsonElement)calls[1].Arguments!["n"]!).GetInt32());
    }

    [Fact]
    public void Parse_MalformedArguments_KeepsTheTextAndTheParseFailure()
    {
        var calls = Accumulate(
            Delta("""[{"index":0,"id":"call_1","type":"function","function":{"name":"a","arguments":"{\"city\": Par"}}]"""));

        var call = Assert.Single(calls);
        Assert.Null(call.Arguments);
        Assert.NotNull(call.Exception);
        Assert.Equal("""{"city": Par""", ToolCallJson.ArgumentsOf(call));
    }

    [Fact]
    public void Parse_CallWithoutId_GetsOneOfItsOwn()
    {
        var call = Assert.Single(Accumulate(Delta("""[{"index":0,"function":{"name":"a","arguments":"{}"}}]""")));

        Assert.StartsWith("call_", call.CallId);
    }

    [Fact]
    public void Parse_TextChunk_CreatesNoToolCallState()
    {
        OpenAIToolCallAccumulator? toolCalls = null;

        var chunk = OpenAIChunk.Parse("""{"choices":[{"index":0,"delta":{"content":"hi","tool_calls":null},"finish_reason":null}]}"""u8, readIds: false, readLogprobs: false, ref toolCalls);

        Assert.Equal("hi", chunk.Content);
        Assert.Null(toolCalls);
    }
}
