using Gateway.Core.Chat;
using Gateway.Core.Errors;
using Gateway.Core.Providers.OpenAI;
using Gateway.Core.Routing;
using Gateway.TestUpstream;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Core.Tests.Providers;

/// <summary>Both HTTP providers against the test upstream speaking their real wire formats on loopback.</summary>
public sealed class UpstreamChatClientTests : IAsyncLifetime
{
    private TestUpstreamServer _upstream = null!;

    public async Task InitializeAsync() => _upstream = await TestUpstreamServer.StartAsync();

    public async Task DisposeAsync() => await _upstream.DisposeAsync();

    private (ChatService Chat, ModelRoute Route) Connect(string provider, string? apiKey = null)
    {
        var endpoint = provider == "openai" ? _upstream.OpenAIBaseAddress.ToString() : _upstream.BaseAddress.ToString();
        var route = apiKey is null ? $"{provider}|{endpoint}|test-model" : $"{provider}|{endpoint}|test-model|env:UPSTREAM_KEY";
        var services = GatewayServices.Build(("MODEL_ROUTE_MAIN", route), ("UPSTREAM_KEY", apiKey ?? string.Empty));
        var chat = services.GetRequiredService<ChatService>();
        return (chat, chat.Router.Resolve("main"));
    }

    private static readonly ChatMessage[] Hello = [new(ChatRole.User, "Hello")];

    [Theory]
    [InlineData("openai")]
    [InlineData("ollama")]
    public async Task Stream_Chunks_ArriveInOrderWithUsageAndFinishReason(string provider)
    {
        var (chat, route) = Connect(provider);
        _upstream.Behavior = new UpstreamBehavior { Chunks = ["a", "b", "c"], PromptTokens = 11, CompletionTokens = 3 };

        var updates = new List<ChatResponseUpdate>();
        await foreach (var update in chat.StreamAsync(route, Hello, null))
        {
            updates.Add(update);
        }

        var response = updates.ToChatResponse();
        Assert.Equal("abc", response.Text);
        Assert.Equal(11, response.Usage?.InputTokenCount);
        Assert.Equal(3, response.Usage?.OutputTokenCount);
        Assert.Equal(ChatFinishReason.Stop, response.FinishReason);
        Assert.All(updates, u => Assert.Equal("test-model", u.ModelId));
    }

    [Theory]
    [InlineData("openai")]
    [InlineData("ollama")]
    public async Task Stream_ChunkLargerThanReadBuffer_IsReassembled(string provider)
    {
        var (chat, route) = Connect(provider);
        var big = string.Concat(Enumerable.Repeat("0123456789", 20_000));
        _upstream.Behavior = new UpstreamBehavior { Chunks = ["start", big, "end"] };

        var text = new System.Text.StringBuilder();
        await foreach (var update in chat.StreamAsync(route, Hello, null))
        {
            text.Append(update.Text);
        }

        Assert.Equal("start" + big + "end", text.ToString());
    }

    [Theory]
    [InlineData("openai")]
    [InlineData("ollama")]
    public async Task Complete_SendsApiKeyAndModel(string provider)
    {
        var (chat, route) = Connect(provider, apiKey: "sk-upstream");

        var response = await chat.CompleteAsync(route, Hello, new ChatOptions { Temperature = 0.2f });

        Assert.Equal("Hello, world!", response.Text);
        var request = Assert.Single(_upstream.Requests);
        Assert.Equal("Bearer sk-upstream", request.Authorization);
        Assert.Contains("\"model\":\"test-model\"", request.Body);
        Assert.Contains("0.2", request.Body);
    }

    [Theory]
    [InlineData("openai", 503, GatewayErrorKind.UpstreamFailure, GatewayErrorCodes.UpstreamError)]
    [InlineData("ollama", 503, GatewayErrorKind.UpstreamFailure, GatewayErrorCodes.UpstreamError)]
    [InlineData("openai", 403, GatewayErrorKind.UpstreamFailure, GatewayErrorCodes.UpstreamAuthenticationFailed)]
    [InlineData("ollama", 400, GatewayErrorKind.InvalidRequest, GatewayErrorCodes.UpstreamBadRequest)]
    public async Task Complete_UpstreamErrorStatus_MapsToGatewayError(string provider, int status, GatewayErrorKind kind, string code)
    {
        var (chat, route) = Connect(provider);
        _upstream.Behavior = new UpstreamBehavior { FailWithStatus = status, FailureMessage = "the upstream says no" };

        var error = await Assert.ThrowsAsync<GatewayException>(() => chat.CompleteAsync(route, Hello, null));

        Assert.Equal(kind, error.Kind);
        Assert.Equal(code, error.ErrorCode);
        Assert.Equal(status, error.Extensions["upstreamStatus"]);
        Assert.Equal("the upstream says no", error.Extensions["upstreamMessage"]);
    }

    [Theory]
    [InlineData("openai")]
    [InlineData("ollama")]
    public async Task Stream_ConnectionDropsMidway_ThrowsStreamBroken(string provider)
    {
        var (chat, route) = Connect(provider);
        _upstream.Behavior = new UpstreamBehavior { Chunks = ["a", "b", "c"], BreakAfterChunks = 1 };

        var received = new List<string>();
        var error = await Assert.ThrowsAsync<GatewayException>(async () =>
        {
            await foreach (var update in chat.StreamAsync(route, Hello, null))
            {
                received.Add(update.Text);
            }
        });

        Assert.Equal(["a"], received);
        Assert.Equal(GatewayErrorCodes.UpstreamUnavailable, error.ErrorCode);
    }

    [Theory]
    [InlineData("openai")]
    [InlineData("ollama")]
    public async Task Stream_ClosedWithoutEndMarker_ThrowsUpstreamUnavailableAfterWhatArrived(string provider)
    {
        var (chat, route) = Connect(provider);
        _upstream.Behavior = new UpstreamBehavior { Chunks = ["a", "b", "c"], BreakAfterChunks = 2, CloseAfterChunks = true };

        var updates = new List<ChatResponseUpdate>();
        var error = await Assert.ThrowsAsync<GatewayException>(async () =>
        {
            await foreach (var update in chat.StreamAsync(route, Hello, null))
            {
                updates.Add(update);
            }
        });

        Assert.Equal(["a", "b"], updates.Select(u => u.Text));
        Assert.All(updates, u => Assert.Null(u.FinishReason));
        Assert.Equal(GatewayErrorCodes.UpstreamUnavailable, error.ErrorCode);
        Assert.Contains("end marker", error.Message);
    }

    [Fact]
    public async Task Stream_OpenAIFinishReasonWithoutDone_Finishes()
    {
        var (chat, route) = Connect("openai");
        _upstream.Behavior = new UpstreamBehavior { Chunks = ["a", "b"], OmitDoneMarker = true };

        var updates = new List<ChatResponseUpdate>();
        await foreach (var update in chat.StreamAsync(route, Hello, null))
        {
            updates.Add(update);
        }

        Assert.Equal("ab", updates.ToChatResponse().Text);
        Assert.Equal(ChatFinishReason.Stop, updates.ToChatResponse().FinishReason);
    }

    [Theory]
    [InlineData("http://host:8000", "http://host:8000/v1/chat/completions")]
    [InlineData("http://host:8000/", "http://host:8000/v1/chat/completions")]
    [InlineData("https://api.example.com/v1", "https://api.example.com/v1/chat/completions")]
    [InlineData("https://example.com/openai/v1/", "https://example.com/openai/v1/chat/completions")]
    public void CompletionsUri_AppendsV1OnlyWithoutPath(string baseUrl, string expected) =>
        Assert.Equal(expected, OpenAICompatibleChatClient.CompletionsUri(new Uri(baseUrl)).ToString());

    [Fact]
    public void Stream_InvalidMessages_ThrowsBeforeEnumerating()
    {
        var (chat, route) = Connect("openai");

        var error = Assert.Throws<GatewayException>(() => chat.StreamAsync(route, [], null));

        Assert.Equal("messages", error.Extensions["field"]);
        Assert.Empty(_upstream.Requests);
    }
}
