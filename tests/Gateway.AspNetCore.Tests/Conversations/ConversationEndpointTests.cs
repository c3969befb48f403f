using System.Net;
using System.Text.Json;
using Gateway.AspNetCore.Tests.Infrastructure;
using Gateway.AspNetCore.Tests.Spaces;

namespace Gateway.AspNetCore.Tests.Conversations;

public sealed class ConversationEndpointTests : GatewayFixture
{
    [Fact]
    public async Task Create_ThenGet_ReturnsTheConversationWithLocation()
    {
        var gateway = await StartGatewayWithStorageAsync();
        var spaceId = await SpaceEndpointTests.CreateSpaceAsync(gateway, """{"name":"Travel"}""");

        using var created = await gateway.Client.PostAsync("api/conversations", Json($$$"""{"title":"Trip","spaceId":"{{{spaceId}}}","metadata":{"pinned":true}}"""));

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var body = await ReadJsonAsync(created);
        var id = body.GetProperty("id").GetString()!;
        Assert.Equal($"/api/conversations/{id}", created.Headers.Location?.OriginalString);
        Assert.Equal("Trip", body.GetProperty("title").GetString());
        Assert.Equal(spaceId, body.GetProperty("spaceId").GetString());
        Assert.True(body.GetProperty("metadata").GetProperty("pinned").GetBoolean());
        Assert.Equal(0, body.GetProperty("messageCount").GetInt32());

        var fetched = await ReadJsonAsync(await gateway.Client.GetAsync($"api/conversations/{id}"));
        Assert.Equal("Trip", fetched.GetProperty("title").GetString());
    }

    [Fact]
    public async Task List_PagesWithCursor_NewestFirstWithoutGapsOrDuplicates()
    {
        var gateway = await StartGatewayWithStorageAsync();
        var ids = new List<string>();
        for (var i = 0; i < 7; i++)
        {
            using var created = await gateway.Client.PostAsync("api/conversations", Json($$"""{"title":"c{{i}}"}"""));
            ids.Add((await ReadJsonAsync(created)).GetProperty("id").GetString()!);
        }

        var seen = new List<string>();
        string? cursor = null;
        do
        {
            var page = await ReadJsonAsync(await gateway.Client.GetAsync(
                "api/conversations?limit=3" + (cursor is null ? "" : "&cursor=" + Uri.EscapeDataString(cursor))));
            seen.AddRange(page.GetProperty("items").EnumerateArray().Select(c => c.GetProperty("id").GetString()!));
            cursor = page.GetProperty("nextCursor").GetString();
        }
        while (cursor is not null);

        ids.Reverse();
        Assert.Equal(ids, seen);
    }

    [Fact]
    public async Task Patch_ArchivesAndRenames_AndArchivedFilterApplies()
    {
        var gateway = await StartGatewayWithStorageAsync();
        using var created = await gateway.Client.PostAsync("api/conversations", Json("""{"title":"Old"}"""));
        var id = (await ReadJsonAsync(created)).GetProperty("id").GetString();

        using var patched = await gateway.Client.PatchAsync($"api/conversations/{id}", Json("""{"title":"New","archived":true}"""));

        Assert.Equal(HttpStatusCode.OK, patched.StatusCode);
        var body = await ReadJsonAsync(patched);
        Assert.Equal("New", body.GetProperty("title").GetString());
        Assert.True(body.GetProperty("archived").GetBoolean());
        var active = await ReadJsonAsync(await gateway.Client.GetAsync("api/conversations"));
        Assert.Empty(active.GetProperty("items").EnumerateArray());
        var archived = await ReadJsonAsync(await gateway.Client.GetAsync("api/conversations?archived=true"));
        Assert.Equal(id, Assert.Single(archived.GetProperty("items").EnumerateArray()).GetProperty("id").GetString());
    }

    [Fact]
    public async Task Delete_RemovesConversation_ThenAnswers404Problem()
    {
        var gateway = await StartGatewayWithStorageAsync();
        using var created = await gateway.Client.PostAsync("api/conversations", Json("{}"));
        var id = (await ReadJsonAsync(created)).GetProperty("id").GetString();
        using var appended = await gateway.Client.PostAsync($"api/conversations/{id}/messages", Json("""{"role":"user","content":"quokka"}"""));
        Assert.Equal(HttpStatusCode.Created, appended.StatusCode);

        using var deleted = await gateway.Client.DeleteAsync($"api/conversations/{id}");
        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);

        using var missing = await gateway.Client.GetAsync($"api/conversations/{id}");
        await AssertProblemAsync(missing, HttpStatusCode.NotFound, "conversation_not_found");
        using var again = await gateway.Client.DeleteAsync($"api/conversations/{id}");
        await AssertProblemAsync(again, HttpStatusCode.NotFound, "conversation_not_found");
        var hits = await ReadJsonAsync(await gateway.Client.GetAsync("api/search?q=quokka"));
        Assert.Empty(hits.GetProperty("hits").EnumerateArray());
    }

    [Fact]
    public async Task Messages_AppendBranchAndList_DefaultViewFollowsActiveBranch()
    {
        var gateway = await StartGatewayWithStorageAsync();
        using var created = await gateway.Client.PostAsync("api/conversations", Json("{}"));
        var id = (await ReadJsonAsync(created)).GetProperty("id").GetString();
        var question = await AppendAsync(gateway, id!, """{"role":"user","content":"Name a colour"}""");
        var first = await AppendAsync(gateway, id!, """{"role":"assistant","content":"Red","modelKey":"main","outputTokens":1}""");
        var second = await AppendAsync(gateway, id!, $$"""{"role":"assistant","content":"Blue","parentId":"{{question}}","status":"incomplete"}""");

        var active = await ReadJsonAsync(await gateway.Client.GetAsync($"api/conversations/{id}/messages"));
        var items = active.GetProperty("items").EnumerateArray().ToList();
        Assert.Equal([question, second], items.Select(m => m.GetProperty("id").GetString()));
        Assert.Equal("incomplete", items[1].GetProperty("status").GetString());
        Assert.Equal(question, items[1].GetProperty("parentId").GetString());

        var other = await ReadJsonAsync(await gateway.Client.GetAsync($"api/conversations/{id}/messages?branch={first}"));
        Assert.Equal([question, first], other.GetProperty("items").EnumerateArray().Select(m => m.GetProperty("id").GetString()));

        var all = await ReadJsonAsync(await gateway.Client.GetAsync($"api/conversations/{id}/messages?branch=all"));
        Assert.Equal(3, all.GetProperty("items").GetArrayLength());

        using var deleted = await gateway.Client.DeleteAsync($"api/conversations/{id}/messages/{second}");
        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        var conversation = await ReadJsonAsync(await gateway.Client.GetAsync($"api/conversations/{id}"));
        Assert.Equal(2, conversation.GetProperty("messageCount").GetInt32());
    }

    [Theory]
    [InlineData("""{"city": "Paris"}""")]
    [InlineData("""  "{\"city\": \"Paris\"}"  """)]
    public async Task Messages_ToolRoundTrip_ShowToolCallsWithObjectArgumentsAndCallIdOnlyWherePresent(string arguments)
    {
        var gateway = await StartGatewayWithStorageAsync();
        using var created = await gateway.Client.PostAsync("api/conversations", Json("{}"));
        var id = (await ReadJsonAsync(created)).GetProperty("id").GetString()!;
        await AppendAsync(gateway, id, """{"role":"user","content":"Weather in Paris?"}""");
        await AppendAsync(gateway, id, $$"""
            {"role":"assistant","content":"","modelKey":"main","toolCalls":[{"id":"call_1","name":"get_weather","arguments":{{arguments}}}]}
            """);
        await AppendAsync(gateway, id, """{"role":"tool","content":"drizzle","toolCallId":"call_1","toolName":"get_weather"}""");

        var items = (await ReadJsonAsync(await gateway.Client.GetAsync($"api/conversations/{id}/messages"))).GetProperty("items");

        Assert.False(items[0].TryGetProperty("toolCalls", out _));
        Assert.False(items[0].TryGetProperty("toolCallId", out _));
        var call = Assert.Single(items[1].GetProperty("toolCalls").EnumerateArray());
        // As /api/chat shows a call: the arguments are the object, as the model or client wrote it.
        Assert.Equal(("call_1", "get_weather", """{"city": "Paris"}"""),
            (call.GetProperty("id").GetString(), call.GetProperty("name").GetString(), call.GetProperty("arguments").GetRawText()));
        Assert.Equal(("call_1", "get_weather"), (items[2].GetProperty("toolCallId").GetString(), items[2].GetProperty("toolName").GetString()));
        Assert.False(items[2].TryGetProperty("toolCalls", out _));
    }

    [Theory]
    [InlineData("api/conversations?limit=abc", "invalid_request")]
    [InlineData("api/conversations?limit=0", "invalid_request")]
    [InlineData("api/conversations?limit=100000", "invalid_request")]
    [InlineData("api/conversations?archived=maybe", "invalid_request")]
    [InlineData("api/conversations?cursor=not-a-cursor", "invalid_cursor")]
    public async Task List_BadQuery_Answers400Problem(string path, string errorCode)
    {
        var gateway = await StartGatewayWithStorageAsync();

        using var response = await gateway.Client.GetAsync(path);

        await AssertProblemAsync(response, HttpStatusCode.BadRequest, errorCode);
    }

    [Theory]
    [InlineData("api/conversations?limit=abc", "limit", "'abc' is not a whole number")]
    [InlineData("api/conversations?archived=maybe", "archived", "'maybe' is not one of true, false or all")]
    [InlineData("api/search?q=x&limit=1.5", "limit", "'1.5' is not a whole number")]
    [InlineData("api/spaces/0190f0f0-0000-7000-8000-000000000000?cascade=maybe", "cascade", "'maybe' is not true or false")]
    public async Task Request_UnparsableQueryValue_Answers400NamingTheParameter(string path, string field, string detail)
    {
        var gateway = await StartGatewayWithStorageAsync();

        using var response = path.Contains("cascade", StringComparison.Ordinal)
            ? await gateway.Client.DeleteAsync(path)
            : await gateway.Client.GetAsync(path);

        var problem = await Routing.RoutingEndpointTests.AssertProblemAsync(response, HttpStatusCode.BadRequest, "invalid_request");
        Assert.Equal(field, problem.GetProperty("field").GetString());
        Assert.Contains(detail, problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"role":"wizard","content":"x"}""", "invalid_request")]
    [InlineData("""{"content":"x"}""", "invalid_request")]
    [InlineData("""{"role":"user"}""", "invalid_request")]
    [InlineData("""{"role":"user","content":"x","status":"done"}""", "invalid_request")]
    [InlineData("""{"role":"user","content":"x","parentId":"0190f0f0-0000-7000-8000-000000000000"}""", "message_not_found")]
    [InlineData("""{"role":"user","content":5}""", "malformed_request")]
    [InlineData("""{"role":"user","content":"x","toolCalls":[{"id":"call_1","name":"f","arguments":"{}"}]}""", "invalid_request")]
    [InlineData("""{"role":"assistant","content":"","toolCalls":[{"id":"call_1","name":"f","arguments":"not json"}]}""", "invalid_request")]
    [InlineData("""{"role":"assistant","content":"","toolCalls":[{"id":"call_1","arguments":"{}"}]}""", "invalid_request")]
    [InlineData("""{"role":"assistant","content":"","toolCalls":[{"id":"call_1","name":"f","arguments":[1]}]}""", "invalid_request")]
    [InlineData("""{"role":"assistant","content":"","toolCalls":[{"id":"call_1","name":"f"}]}""", "invalid_request")]
    [InlineData("""{"role":"assistant","content":"x","toolCallId":"call_1"}""", "invalid_request")]
    public async Task Append_BadMessage_AnswersProblem(string json, string errorCode)
    {
        var gateway = await StartGatewayWithStorageAsync();
        using var created = await gateway.Client.PostAsync("api/conversations", Json("{}"));
        var id = (await ReadJsonAsync(created)).GetProperty("id").GetString();

        using var response = await gateway.Client.PostAsync($"api/conversations/{id}/messages", Json(json));

        Assert.True(response.StatusCode is HttpStatusCode.BadRequest or HttpStatusCode.NotFound, $"status {response.StatusCode}");
        Assert.Equal(errorCode, (await ReadJsonAsync(response)).GetProperty("errorCode").GetString());
    }

    [Fact]
    public async Task Append_UnknownConversation_Answers404()
    {
        var gateway = await StartGatewayWithStorageAsync();

        using var response = await gateway.Client.PostAsync(
            "api/conversations/0190f0f0-0000-7000-8000-000000000000/messages", Json("""{"role":"user","content":"x"}"""));

        await AssertProblemAsync(response, HttpStatusCode.NotFound, "conversation_not_found");
    }

    [Fact]
    public async Task Endpoints_WithoutStorage_AreNotMapped()
    {
        var gateway = await StartGatewayAsync(("MODEL_ROUTE_MAIN", OpenAIRoute()));

        using var response = await gateway.Client.GetAsync("api/conversations");

        await AssertProblemAsync(response, HttpStatusCode.NotFound, "endpoint_not_found");
    }

    internal static async Task<string> AppendAsync(GatewayTestHost gateway, string conversationId, string json)
    {
        using var response = await gateway.Client.PostAsync($"api/conversations/{conversationId}/messages", Json(json));
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"{response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        return (await ReadJsonAsync(response)).GetProperty("id").GetString()!;
    }

    internal static async Task<JsonElement> ReadJsonAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode || response.Content.Headers.ContentType?.MediaType == "application/problem+json", text);
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    internal static async Task AssertProblemAsync(HttpResponseMessage response, HttpStatusCode status, string errorCode)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(status == response.StatusCode, $"expected {status}, got {response.StatusCode}: {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(errorCode, JsonDocument.Parse(text).RootElement.GetProperty("errorCode").GetString());
    }
}
