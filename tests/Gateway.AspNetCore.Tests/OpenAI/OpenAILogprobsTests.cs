using System.ClientModel;
using System.Net;
using System.Text.Json;
using Gateway.AspNetCore.Tests.Infrastructure;
using OpenAI;
using OpenAI.Chat;

namespace Gateway.AspNetCore.Tests.OpenAI;

/// <summary>
/// <c>logprobs</c> and <c>top_logprobs</c> on /v1/chat/completions: the upstream's per-token log probabilities
/// come back in OpenAI's choice <c>logprobs</c> object, whole or with each streamed delta, and only when asked for.
/// </summary>
public sealed class OpenAILogprobsTests : GatewayFixture
{
    private static readonly string[] Tokens = ["Hello", ", ", "world", "!"];

    [Fact]
    public async Task CompleteChat_OfficialClientAsksForLogprobs_GetsEveryTokenWithItsAlternatives()
    {
        var gateway = await StartGatewayAsync(("MODEL_ROUTE_MAIN", OpenAIRoute()));
        var chat = new OpenAIClient(new ApiKeyCredential("unused"), new OpenAIClientOptions { Endpoint = new Uri(gateway.BaseAddress, "v1") })
            .GetChatClient("main");

        ChatCompletion completion = await chat.CompleteChatAsync(
            [new UserChatMessage("Hi")], new ChatCompletionOptions { IncludeLogProbabilities = true, TopLogProbabilityCount = 2 });

        Assert.Equal(Tokens, completion.ContentTokenLogProbabilities.Select(t => t.Token));
        Assert.Equal([-0.1f, -0.2f, -0.3f, -0.4f], completion.ContentTokenLogProbabilities.Select(t => t.LogProbability));
        Assert.All(completion.ContentTokenLogProbabilities, t => Assert.Equal(["alt0", "alt1"], t.TopLogProbabilities.Select(a => a.Token)));
        Assert.Equal("Hello"u8.ToArray(), completion.ContentTokenLogProbabilities[0].Utf8Bytes?.ToArray());
    }

    [Fact]
    public async Task CompleteChatStreaming_OfficialClientAsksForLogprobs_GetsEachDeltasTokens()
    {
        var gateway = await StartGatewayAsync(("MODEL_ROUTE_MAIN", OpenAIRoute()));
        var chat = new OpenAIClient(new ApiKeyCredential("unused"), new OpenAIClientOptions { Endpoint = new Uri(gateway.BaseAddress, "v1") })
            .GetChatClient("main");

        var tokens = new List<string>();
        var text = new List<string>();
        await foreach (var update in chat.CompleteChatStreamingAsync(
            [new UserChatMessage("Hi")], new ChatCompletionOptions { IncludeLogProbabilities = true, TopLogProbabilityCount = 1 }))
        {
            tokens.AddRange(update.ContentTokenLogProbabilities.Select(t => t.Token));
            text.AddRange(update.ContentUpdate.Select(part => part.Text));
        }

        Assert.Equal(Tokens, tokens);
        Assert.Equal(Tokens, text);
    }

    [Fact]
    public async Task Stream_RawWire_EachDeltaChunkCarriesItsOwnLogprobs()
    {
        var gateway = await StartGatewayAsync(("MODEL_ROUTE_MAIN", OpenAIRoute()));

        using var response = await gateway.Client.PostAsync("v1/chat/completions", Json("""
            {"model":"main","stream":true,"logprobs":true,"messages":[{"role":"user","content":"Hi"}]}
            """));

        var events = await SseReader.ReadAllAsync(response);
        var choices = events.SkipLast(1).Select(e => JsonDocument.Parse(e.Data).RootElement.GetProperty("choices")[0]).ToList();
        var deltas = choices.Where(c => c.GetProperty("delta").TryGetProperty("content", out _)).ToList();
        Assert.Equal(Tokens.Length, deltas.Count);
        for (var i = 0; i < deltas.Count; i++)
        {
            var token = Assert.Single(deltas[i].GetProperty("logprobs").GetProperty("content").EnumerateArray());
            Assert.Equal(Tokens[i], token.GetProperty("token").GetString());
            Assert.Equal(Tokens[i], deltas[i].GetProperty("delta").GetProperty("content").GetString());
        }

        Assert.False(choices[^1].TryGetProperty("logprobs", out _));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Chat_LogprobsNotAsked_NoLogprobsInTheAnswer(bool stream)
    {
        var gateway = await StartGatewayAsync(("MODEL_ROUTE_MAIN", OpenAIRoute()));

        using var response = await gateway.Client.PostAsync("v1/chat/completions", Json("""
            {"model":"main","stream":$STREAM,"logprobs":false,"messages":[{"role":"user","content":"Hi"}]}
            """.Replace("$STREAM", stream ? "true" : "false")));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.DoesNotContain("logprobs", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.False(JsonDocument.Parse(Assert.Single(Upstream.Requests).Body).RootElement.TryGetProperty("logprobs", out _));
    }
}
