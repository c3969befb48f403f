using System.Net;
using System.Text.Json;
using Gateway.AspNetCore.Tests.Infrastructure;
using Gateway.TestUpstream;
using static Gateway.AspNetCore.Tests.Conversations.ConversationEndpointTests;

namespace Gateway.AspNetCore.Tests.Conversations;

public sealed class ChatPersistenceTests : GatewayFixture
{
    [Fact]
    public async Task Chat_WithoutConversationId_CreatesConversationAndStoresTurn()
    {
        var gateway = await StartGatewayWithStorageAsync();
        Upstream.Behavior = new UpstreamBehavior { Chunks = ["Bonjour"], PromptTokens = 5, CompletionTokens = 1 };

        using var response = await gateway.Client.PostAsync("api/chat", Json("""{"messages":[{"role":"user","content":"Say hello in French"}]}"""));

        var body = await ReadJsonAsync(response);
        var conversationId = body.GetProperty("conversationId").GetString()!;
        var replyId = body.GetProperty("messageId").GetString();
        Assert.Equal(conversationId, Assert.Single(response.Headers.GetValues("X-Conversation-Id")));
        var conversation = await ReadJsonAsync(await gateway.Client.GetAsync($"api/conversations/{conversationId}"));
        Assert.Equal("Say hello in French", conversation.GetProperty("title").GetString());
        var messages = (await ReadJsonAsync(await gateway.Client.GetAsync($"api/conversations/{conversationId}/messages")))
            .GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(["user", "assistant"], messages.Select(m => m.GetProperty("role").GetString()));
        Assert.Equal("Bonjour", messages[1].GetProperty("content").GetString());
        Assert.Equal(replyId, messages[1].GetProperty("id").GetString());
        Assert.Equal("main", messages[1].GetProperty("modelKey").GetString());
        Assert.Equal(5, messages[1].GetProperty("inputTokens").GetInt64());
        Assert.Equal("complete", messages[1].GetProperty("status").GetString());
    }

    [Fact]
    public async Task Chat_WithConversationId_SendsStoredHistoryUpstream()
    {
        var gateway = await StartGatewayWithStorageAsync();
        Upstream.Behavior = new UpstreamBehavior { Chunks = ["Paris"] };
        using var first = await gateway.Client.PostAsync("api/chat", Json("""{"messages":[{"role":"user","content":"Capital of France?"}]}"""));
        var conversationId = (await ReadJsonAsync(first)).GetProperty("conversationId").GetString();
        Upstream.ClearRequests();

        using var second = await gateway.Client.PostAsync("api/chat", Json(
            $$"""{"conversationId":"{{conversationId}}","messages":[{"role":"user","content":"And of Italy?"}]}"""));

        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        using var sent = JsonDocument.Parse(Assert.Single(Upstream.Requests).Body);
        var contents = sent.RootElement.GetProperty("messages").EnumerateArray().Select(m => m.GetProperty("content").GetString());
        Assert.Equal(["Capital of France?", "Paris", "And of Italy?"], contents);
        var conversation = await ReadJsonAsync(await gateway.Client.GetAsync($"api/conversations/{conversationId}"));
        Assert.Equal(4, conversation.GetProperty("messageCount").GetInt32());
    }

    [Fact]
    public async Task Chat_RegenerateWithParentId_StoresSiblingReplyAndMakesItActive()
    {
        var gateway = await StartGatewayWithStorageAsync();
        Upstream.Behavior = new UpstreamBehavior { Chunks = ["Red"] };
        using var first = await gateway.Client.PostAsync("api/chat", Json("""{"messages":[{"role":"user","content":"A colour?"}]}"""));
        var conversationId = (await ReadJsonAsync(first)).GetProperty("conversationId").GetString();
        var messages = (await ReadJsonAsync(await gateway.Client.GetAsync($"api/conversations/{conversationId}/messages"))).GetProperty("items");
        var questionId = messages[0].GetProperty("id").GetString();
        Upstream.Behavior = new UpstreamBehavior { Chunks = ["Blue"] };

        using var regenerated = await gateway.Client.PostAsync("api/chat", Json(
            $$"""{"conversationId":"{{conversationId}}","parentId":"{{questionId}}"}"""));

        Assert.Equal(HttpStatusCode.OK, regenerated.StatusCode);
        var active = (await ReadJsonAsync(await gateway.Client.GetAsync($"api/conversations/{conversationId}/messages"))).GetProperty("items");
        Assert.Equal(["A colour?", "Blue"], active.EnumerateArray().Select(m => m.GetProperty("content").GetString()));
        var all = (await ReadJsonAsync(await gateway.Client.GetAsync($"api/conversations/{conversationId}/messages?branch=all"))).GetProperty("items");
        Assert.Equal(3, all.GetArrayLength());
    }

    [Fact]
    public async Task Chat_PersistFalse_StoresNothing()
    {
        var gateway = await StartGatewayWithStorageAsync();

        using var response = await gateway.Client.PostAsync("api/chat", Json("""{"persist":false,"messages":[{"role":"user","content":"Hi"}]}"""));

        var body = await ReadJsonAsync(response);
        Assert.Equal(JsonValueKind.Null, body.GetProperty("conversationId").ValueKind);
        Assert.False(response.Headers.Contains("X-Conversation-Id"));
        var list = await ReadJsonAsync(await gateway.Client.GetAsync("api/conversations?archived=all"));
        Assert.Empty(list.GetProperty("items").EnumerateArray());
    }

    [Fact]
    public async Task Chat_UnknownConversation_Answers404AndCallsNoUpstream()
    {
        var gateway = await StartGatewayWithStorageAsync();
        Upstream.ClearRequests();

        using var response = await gateway.Client.PostAsync("api/chat", Json(
            """{"conversationId":"0190f0f0-0000-7000-8000-000000000000","messages":[{"role":"user","content":"Hi"}]}"""));

        await AssertProblemAsync(response, HttpStatusCode.NotFound, "conversation_not_found");
        Assert.Empty(Upstream.Requests);
    }

    [Fact]
    public async Task Chat_ConversationIdWithoutStorage_Answers400()
    {
        var gateway = await StartGatewayAsync(("MODEL_ROUTE_MAIN", OpenAIRoute()));

        using var response = await gateway.Client.PostAsync("api/chat", Json(
            """{"conversationId":"0190f0f0-0000-7000-8000-000000000000","messages":[{"role":"user","content":"Hi"}]}"""));

        await AssertProblemAsync(response, HttpStatusCode.BadRequest, "invalid_request");
    }

    [Fact]
    public async Task Stream_Finished_DoneEventCarriesStoredIds()
    {
        var gateway = await StartGatewayWithStorageAsync();
        Upstream.Behavior = new UpstreamBehavior { Chunks = ["One ", "two"] };

        using var response = await gateway.Client.PostAsync("api/chat/stream", Json(HelloMessages));

        var events = await SseReader.ReadAllAsync(response);
        using var done = JsonDocument.Parse(Assert.Single(events, e => e.Name == "done").Data);
        var conversationId = done.RootElement.GetProperty("conversationId").GetString();
        var messageId = done.RootElement.GetProperty("messageId").GetString();
        var messages = (await ReadJsonAsync(await gateway.Client.GetAsync($"api/conversations/{conversationId}/messages"))).GetProperty("items");
        Assert.Equal(messageId, messages[1].GetProperty("id").GetString());
        Assert.Equal("One two", messages[1].GetProperty("content").GetString());
        Assert.Equal("complete", messages[1].GetProperty("status").GetString());
    }

    [Fact]
    public async Task Stream_UpstreamBreaksMidway_ReplyStoredAsIncompleteWithWhatArrived()
    {
        var gateway = await StartGatewayWithStorageAsync(("UPSTREAM_MAX_RETRIES", "0"));
        Upstream.Behavior = new UpstreamBehavior { Chunks = ["Partial ", "answer ", "never sent"], BreakAfterChunks = 2 };

        using var response = await gateway.Client.PostAsync("api/chat/stream", Json(HelloMessages));

        var events = await SseReader.ReadAllAsync(response);
        Assert.Contains(events, e => e.Name == "error");
        var conversationId = Assert.Single(response.Headers.GetValues("X-Conversation-Id"));
        var messages = (await ReadJsonAsync(await gateway.Client.GetAsync($"api/conversations/{conversationId}/messages"))).GetProperty("items");
        Assert.Equal(2, messages.GetArrayLength());
        Assert.Equal("Partial answer ", messages[1].GetProperty("content").GetString());
        Assert.Equal("incomplete", messages[1].GetProperty("status").GetString());
    }

    [Fact]
    public async Task Stream_ClientLeavesMidway_ReplyStoredAsIncomplete()
    {
        var gateway = await StartGatewayWithStorageAsync();
        // Long enough that HttpClient gives up draining the rest (2 s) and closes the connection.
        Upstream.Behavior = new UpstreamBehavior { Chunks = Enumerable.Repeat("tick ", 1000).ToArray(), ChunkDelay = TimeSpan.FromMilliseconds(20) };
        string conversationId;
        using (var request = new HttpRequestMessage(HttpMethod.Post, "api/chat/stream") { Content = Json(HelloMessages) })
        {
            using var response = await gateway.Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
            conversationId = Assert.Single(response.Headers.GetValues("X-Conversation-Id"));
            await using var stream = await response.Content.ReadAsStreamAsync();
            await foreach (var sseEvent in SseReader.ReadAsync(stream))
            {
                if (sseEvent.Name is null)
                {
                    break;
                }
            }
        }

        Assert.True(await Upstream.WaitForCancelledStreamAsync(TimeSpan.FromSeconds(10)));
        JsonElement messages = default;
        for (var attempt = 0; attempt < 50; attempt++)
        {
            messages = (await ReadJsonAsync(await gateway.Client.GetAsync($"api/conversations/{conversationId}/messages"))).GetProperty("items");
            if (messages.GetArrayLength() == 2)
            {
                break;
            }

            await Task.Delay(100);
        }

        Assert.Equal(2, messages.GetArrayLength());
        Assert.StartsWith("tick ", messages[1].GetProperty("content").GetString());
        Assert.True(messages[1].GetProperty("content").GetString()!.Length < 5000, "the whole reply was stored, not what arrived before the client left");
        Assert.Equal("incomplete", messages[1].GetProperty("status").GetString());
    }
}
