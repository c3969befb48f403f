using System.Net;
using System.Text.Json;
using Gateway.AspNetCore.Tests.Infrastructure;
using Gateway.TestUpstream;
using static Gateway.AspNetCore.Tests.Conversations.ConversationEndpointTests;

namespace Gateway.AspNetCore.Tests.Chat;

/// <summary>
/// An upstream stream that ends normally but without its end marker (OpenAI's <c>finish_reason</c> /
/// <c>[DONE]</c>, Ollama's <c>"done": true</c>) may have been cut short, so neither API reports it as finished.
/// </summary>
public sealed class TruncatedStreamTests : GatewayFixture
{
    private static readonly UpstreamBehavior ClosedAfterTwoChunks = new()
    {
        Chunks = ["Partial ", "answer ", "never sent"],
        BreakAfterChunks = 2,
        CloseAfterChunks = true,
    };

    [Theory]
    [InlineData("openai")]
    [InlineData("ollama")]
    public async Task ChatStream_UpstreamClosesWithoutEndMarker_EndsWithUpstreamUnavailableErrorEvent(string provider)
    {
        var gateway = await StartGatewayAsync(("MODEL_ROUTE_MAIN", provider == "openai" ? OpenAIRoute() : OllamaRoute()));
        Upstream.Behavior = ClosedAfterTwoChunks;

        using var response = await gateway.Client.PostAsync("api/chat/stream", Json(HelloMessages));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var events = await SseReader.ReadAllAsync(response);
        Assert.Equal(2, events.Count(e => e.Name is null));
        Assert.DoesNotContain(events, e => e.Name == "done");
        var error = events[^1];
        Assert.Equal("error", error.Name);
        using var problem = JsonDocument.Parse(error.Data);
        Assert.Equal("upstream_unavailable", problem.RootElement.GetProperty("errorCode").GetString());
        Assert.Contains("end marker", problem.RootElement.GetProperty("detail").GetString());
    }

    [Theory]
    [InlineData("openai")]
    [InlineData("ollama")]
    public async Task V1Stream_UpstreamClosesWithoutEndMarker_EndsWithErrorChunkAndNoFinishReasonOrDone(string provider)
    {
        var gateway = await StartGatewayAsync(("MODEL_ROUTE_MAIN", provider == "openai" ? OpenAIRoute() : OllamaRoute()));
        Upstream.Behavior = ClosedAfterTwoChunks;

        using var response = await gateway.Client.PostAsync("v1/chat/completions", Json(
            """{"model":"main","stream":true,"stream_options":{"include_usage":true},"messages":[{"role":"user","content":"Hi"}]}"""));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var wire = await response.Content.ReadAsStringAsync();
        Assert.DoesNotContain("data: [DONE]", wire);
        Assert.DoesNotContain("\"finish_reason\":\"", wire);
        var lines = wire.Split("\n\n", StringSplitOptions.RemoveEmptyEntries).Where(l => !l.StartsWith(':')).ToList();
        Assert.Equal(3, lines.Count);
        Assert.Contains("\"content\":\"Partial \"", lines[0]);
        Assert.Contains("\"content\":\"answer \"", lines[1]);
        Assert.StartsWith("data: {", lines[2]);
        using var error = JsonDocument.Parse(lines[2]["data: ".Length..]);
        Assert.Equal("upstream_unavailable", error.RootElement.GetProperty("error").GetProperty("code").GetString());
        Assert.Contains("end marker", error.RootElement.GetProperty("error").GetProperty("message").GetString());
    }

    [Theory]
    [InlineData("openai")]
    [InlineData("ollama")]
    public async Task ChatStream_UpstreamClosesWithoutEndMarker_ReplyStoredAsIncompleteWithWhatArrived(string provider)
    {
        var gateway = await StartGatewayWithStorageAsync(("MODEL_ROUTE_MAIN", provider == "openai" ? OpenAIRoute() : OllamaRoute()));
        Upstream.Behavior = ClosedAfterTwoChunks;

        using var response = await gateway.Client.PostAsync("api/chat/stream", Json(HelloMessages));

        var events = await SseReader.ReadAllAsync(response);
        Assert.Equal("error", events[^1].Name);
        var conversationId = Assert.Single(response.Headers.GetValues("X-Conversation-Id"));
        var messages = (await ReadJsonAsync(await gateway.Client.GetAsync($"api/conversations/{conversationId}/messages"))).GetProperty("items");
        Assert.Equal(2, messages.GetArrayLength());
        Assert.Equal("Partial answer ", messages[1].GetProperty("content").GetString());
        Assert.Equal("incomplete", messages[1].GetProperty("status").GetString());
    }

    [Fact]
    public async Task V1Stream_UpstreamSendsFinishReasonButNoDone_FinishesNormally()
    {
        var gateway = await StartGatewayAsync(("MODEL_ROUTE_MAIN", OpenAIRoute()));
        Upstream.Behavior = new UpstreamBehavior { Chunks = ["x", "y"], OmitDoneMarker = true };

        using var response = await gateway.Client.PostAsync("v1/chat/completions", Json(
            """{"model":"main","stream":true,"messages":[{"role":"user","content":"Hi"}]}"""));

        var events = await SseReader.ReadAllAsync(response);
        Assert.Equal("[DONE]", events[^1].Data);
        Assert.Contains("\"finish_reason\":\"stop\"", events[^2].Data);
        Assert.DoesNotContain(events, e => e.Data.Contains("\"error\"", StringComparison.Ordinal));
    }
}
