using System.Text.Json;
using Gateway.Core.Chat;
using Gateway.Core.Storage.Conversations;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Storage.Conformance;

/// <summary>
/// What <see cref="ChatService"/> stores of a tool round trip on every backend: the caller's tool calls and
/// results, the reply's tool calls (whole or streamed), every step of a round trip a pipeline step ran
/// itself, and a continued conversation that sends the stored round trip upstream again.
/// </summary>
public abstract class ChatTurnStorageConformanceTests : StoreConformanceTests, IDisposable
{
    private static readonly Dictionary<string, object?> Paris = new() { ["city"] = "Paris" };

    private readonly ScriptedUpstream _upstream = new();
    private ServiceProvider? _services;

    private ChatService Chat => (_services ??= BuildGateway()).GetRequiredService<ChatService>();

    /// <inheritdoc />
    public void Dispose()
    {
        _services?.Dispose();
        GC.SuppressFinalize(this);
    }

    [Fact]
    public async Task BeginTurn_CallerSendsAToolRoundTrip_StoresTheCallsTheResultAndTheReply()
    {
        _upstream.Then(new ChatMessage(ChatRole.Assistant, "Paris: 14 °C and drizzle."));

        var turn = await Chat.BeginTurnAsync(new ChatTurnRequest(null, WeatherRoundTrip()));
        await Chat.CompleteTurnAsync(turn);

        var stored = await Store.Conversations.GetBranchAsync(turn.ConversationId!);
        Assert.Equal(["user", "assistant", "tool", "assistant"], stored.Select(m => m.Role));
        Assert.Equal([new StoredToolCall("call_1", "get_weather", """{"city":"Paris"}""")], stored[1].ToolCalls);
        Assert.Equal(string.Empty, stored[1].Content);
        Assert.Equal(("call_1", "get_weather", """{"forecast":"drizzle"}"""), (stored[2].ToolCallId, stored[2].ToolName, stored[2].Content));
        Assert.Equal((turn.ReplyMessageId, "Paris: 14 °C and drizzle.", "main", 30L), (stored[3].Id, stored[3].Content, stored[3].ModelKey, stored[3].InputTokens));
    }

    [Fact]
    public async Task CompleteTurn_ReplyThatOnlyCallsTools_IsStoredCompleteWithEmptyText()
    {
        _upstream.Then(new ChatMessage(ChatRole.Assistant, [new FunctionCallContent("call_1", "get_weather", Paris), new FunctionCallContent("call_2", "get_time")]));

        var turn = await Chat.BeginTurnAsync(new ChatTurnRequest(null, [new ChatMessage(ChatRole.User, "Weather and time in Paris?")]));
        await Chat.CompleteTurnAsync(turn);

        var reply = (await Store.Conversations.GetBranchAsync(turn.ConversationId!))[^1];
        Assert.Equal((turn.ReplyMessageId, "assistant", string.Empty, MessageStatus.Complete), (reply.Id, reply.Role, reply.Content, reply.Status));
        Assert.Equal(
            [new StoredToolCall("call_1", "get_weather", """{"city":"Paris"}"""), new StoredToolCall("call_2", "get_time", "{}")],
            reply.ToolCalls);
    }

    [Fact]
    public async Task StreamTurn_ToolCallsArriveInTheStream_AreStoredWithTheReply()
    {
        _upstream.Then(new ChatMessage(ChatRole.Assistant, [new TextContent("Let me look. "), new FunctionCallContent("call_1", "get_weather", Paris)]));

        var turn = await Chat.BeginTurnAsync(new ChatTurnRequest(null, [new ChatMessage(ChatRole.User, "Weather in Paris?")]));
        var updates = new List<ChatResponseUpdate>();
        await foreach (var update in Chat.StreamTurnAsync(turn))
        {
            updates.Add(update);
        }

        var reply = (await Store.Conversations.GetBranchAsync(turn.ConversationId!))[^1];
        Assert.Equal(3, updates.Count);
        Assert.Equal((turn.ReplyMessageId, "Let me look. ", MessageStatus.Complete, 7L), (reply.Id, reply.Content, reply.Status, reply.OutputTokens));
        Assert.Equal([new StoredToolCall("call_1", "get_weather", """{"city":"Paris"}""")], reply.ToolCalls);
    }

    [Fact]
    public async Task BeginTurn_ContinuingAConversationWithAToolRoundTrip_SendsItUpstreamAgain()
    {
        _upstream.Then(new ChatMessage(ChatRole.Assistant, "Drizzle.")).Then(new ChatMessage(ChatRole.Assistant, "Take an umbrella."));
        var first = await Chat.BeginTurnAsync(new ChatTurnRequest(null, WeatherRoundTrip()));
        await Chat.CompleteTurnAsync(first);

        var second = await Chat.BeginTurnAsync(new ChatTurnRequest(null, [new ChatMessage(ChatRole.User, "Umbrella?")], ConversationId: first.ConversationId));
        await Chat.CompleteTurnAsync(second);

        var sent = _upstream.Received[1];
        Assert.Equal([ChatRole.User, ChatRole.Assistant, ChatRole.Tool, ChatRole.Assistant, ChatRole.User], sent.Select(m => m.Role));
        var call = Assert.IsType<FunctionCallContent>(Assert.Single(sent[1].Contents));
        Assert.Equal(("call_1", "get_weather"), (call.CallId, call.Name));
        Assert.Equal("Paris", Assert.IsType<JsonElement>(Assert.Single(call.Arguments!).Value).GetString());
        var result = Assert.IsType<FunctionResultContent>(Assert.Single(sent[2].Contents));
        Assert.Equal(("call_1", """{"forecast":"drizzle"}"""), (result.CallId, result.Result));
    }

    [Fact]
    public async Task CompleteTurn_PipelineThatRunsTheToolsItself_StoresEachStepOfTheRoundTrip()
    {
        _upstream.Then(
            new ChatMessage(ChatRole.Assistant, [new FunctionCallContent("call_1", "get_weather", Paris)]),
            new ChatMessage(ChatRole.Tool, [new FunctionResultContent("call_1", JsonElement.Parse("""{"forecast":"drizzle"}"""))]),
            new ChatMessage(ChatRole.Assistant, "Drizzle in Paris."));

        var turn = await Chat.BeginTurnAsync(new ChatTurnRequest(null, [new ChatMessage(ChatRole.User, "Weather in Paris?")]));
        await Chat.CompleteTurnAsync(turn);

        var stored = await Store.Conversations.GetBranchAsync(turn.ConversationId!);
        Assert.Equal(["user", "assistant", "tool", "assistant"], stored.Select(m => m.Role));
        Assert.Equal("call_1", Assert.Single(stored[1].ToolCalls!).Id);
        Assert.Equal(("call_1", "get_weather", """{"forecast":"drizzle"}"""), (stored[2].ToolCallId, stored[2].ToolName, stored[2].Content));
        Assert.Equal((turn.ReplyMessageId, "Drizzle in Paris.", 30L), (stored[3].Id, stored[3].Content, stored[3].InputTokens));
        Assert.Null(stored[1].InputTokens);
    }

    [Fact]
    public async Task BeginTurn_StoredToolTextWithoutACallId_GoesUpstreamAsAssistantText()
    {
        var conversation = await Store.Conversations.CreateConversationAsync(new NewConversation("Imported"));
        await Store.Conversations.AppendMessageAsync(conversation.Id, new NewMessage("user", "Run it."));
        await Store.Conversations.AppendMessageAsync(conversation.Id, new NewMessage("tool", "exit code 0"));
        _upstream.Then(new ChatMessage(ChatRole.Assistant, "It worked."));

        var turn = await Chat.BeginTurnAsync(new ChatTurnRequest(null, [new ChatMessage(ChatRole.User, "Did it work?")], ConversationId: conversation.Id));
        await Chat.CompleteTurnAsync(turn);

        var sent = _upstream.Received[0];
        Assert.Equal([ChatRole.User, ChatRole.Assistant, ChatRole.User], sent.Select(m => m.Role));
        Assert.Equal("exit code 0", sent[1].Text);
    }

    // A question, the model's call and the tool's result: how a client sends a round trip back.
    private static List<ChatMessage> WeatherRoundTrip() =>
    [
        new(ChatRole.User, "Weather in Paris?"),
        new(ChatRole.Assistant, [new FunctionCallContent("call_1", "get_weather", Paris)]),
        new(ChatRole.Tool, [new FunctionResultContent("call_1", """{"forecast":"drizzle"}""")]),
    ];

    // The gateway's services with one route whose model is the scripted upstream, over this backend's store.
    private ServiceProvider BuildGateway()
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["MODEL_ROUTE_MAIN"] = "openai|http://127.0.0.1:9/v1|test-model" })
            .Build();
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddLogging();
        services.AddSingleton(Store.Conversations);
        services.AddGateway().ConfigureChatPipeline((_, pipeline) => pipeline.Use(_ => _upstream));
        return services.BuildServiceProvider();
    }
}
