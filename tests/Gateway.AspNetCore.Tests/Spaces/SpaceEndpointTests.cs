using System.Net;
using System.Text.Json;
using Gateway.AspNetCore.Tests.Infrastructure;
using Gateway.TestUpstream;
using static Gateway.AspNetCore.Tests.Conversations.ConversationEndpointTests;
using static Gateway.AspNetCore.Tests.Profiles.ProfileChatTests;

namespace Gateway.AspNetCore.Tests.Spaces;

public sealed class SpaceEndpointTests : GatewayFixture
{
    private const string Unknown = "0190a000-0000-7000-8000-000000000000";

    [Fact]
    public async Task Space_CreateReadReplaceListDelete_RoundTrips()
    {
        var gateway = await StartGatewayWithStorageAsync();
        var profileId = await CreateProfileAsync(gateway, """{"name":"Writer","modelKey":"main"}""");

        using var created = await gateway.Client.PostAsync("api/spaces", Json(
            $$$"""{"name":"Docs","description":"Writing docs","defaultProfileId":"{{{profileId}}}","metadata":{"colour":"blue"}}"""));

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var space = await ReadJsonAsync(created);
        var id = space.GetProperty("id").GetString()!;
        Assert.Equal($"/api/spaces/{id}", created.Headers.Location?.OriginalString);
        var read = await ReadJsonAsync(await gateway.Client.GetAsync($"api/spaces/{id}"));
        Assert.Equal("Docs", read.GetProperty("name").GetString());
        Assert.Equal("Writing docs", read.GetProperty("description").GetString());
        Assert.Equal(profileId, read.GetProperty("defaultProfileId").GetString());
        Assert.Equal("blue", read.GetProperty("metadata").GetProperty("colour").GetString());

        // The default profile is linked with it.
        var linked = (await ReadJsonAsync(await gateway.Client.GetAsync($"api/spaces/{id}/profiles"))).GetProperty("items");
        Assert.Equal(profileId, Assert.Single(linked.EnumerateArray()).GetProperty("id").GetString());

        using var replaced = await gateway.Client.PutAsync($"api/spaces/{id}", Json("""{"name":"Handbook"}"""));
        var after = await ReadJsonAsync(replaced);
        Assert.Equal("Handbook", after.GetProperty("name").GetString());
        Assert.Equal(JsonValueKind.Null, after.GetProperty("defaultProfileId").ValueKind);

        var listed = (await ReadJsonAsync(await gateway.Client.GetAsync("api/spaces"))).GetProperty("items");
        Assert.Equal(id, Assert.Single(listed.EnumerateArray()).GetProperty("id").GetString());
        Assert.Equal(HttpStatusCode.NoContent, (await gateway.Client.DeleteAsync($"api/spaces/{id}")).StatusCode);
        await AssertProblemAsync(await gateway.Client.GetAsync($"api/spaces/{id}"), HttpStatusCode.NotFound, "space_not_found");
        await AssertProblemAsync(await gateway.Client.DeleteAsync($"api/spaces/{id}"), HttpStatusCode.NotFound, "space_not_found");
    }

    [Fact]
    public async Task Space_BadInput_ReturnsProblemsNamingTheField()
    {
        var gateway = await StartGatewayWithStorageAsync();
        using var first = await gateway.Client.PostAsync("api/spaces", Json("""{"name":"Docs"}"""));
        var id = (await ReadJsonAsync(first)).GetProperty("id").GetString();

        await AssertProblemAsync(await gateway.Client.PostAsync("api/spaces", Json("""{"name":"DOCS"}""")), HttpStatusCode.Conflict, "space_name_taken");
        await AssertProblemAsync(await gateway.Client.PostAsync("api/spaces", Json("""{"description":"x"}""")), HttpStatusCode.BadRequest, "invalid_request");
        await AssertProblemAsync(
            await gateway.Client.PostAsync("api/spaces", Json($$"""{"name":"B","defaultProfileId":"{{Unknown}}"}""")), HttpStatusCode.NotFound, "profile_not_found");
        await AssertProblemAsync(await gateway.Client.PostAsync("api/spaces", Json("""{"name":"C","metadata":"x"}""")), HttpStatusCode.BadRequest, "invalid_request");
        await AssertProblemAsync(await gateway.Client.DeleteAsync($"api/spaces/{id}?cascade=true&detach=true"), HttpStatusCode.BadRequest, "invalid_request");
        await AssertProblemAsync(await gateway.Client.DeleteAsync($"api/spaces/{id}?cascade=maybe"), HttpStatusCode.BadRequest, "invalid_request");
    }

    [Fact]
    public async Task SpaceProfiles_LinkUnlinkAndList()
    {
        var gateway = await StartGatewayWithStorageAsync();
        var spaceId = await CreateSpaceAsync(gateway, """{"name":"Docs"}""");
        var a = await CreateProfileAsync(gateway, """{"name":"A","modelKey":"main"}""");
        var b = await CreateProfileAsync(gateway, """{"name":"B","modelKey":"main"}""");

        Assert.Equal(HttpStatusCode.NoContent, (await gateway.Client.PutAsync($"api/spaces/{spaceId}/profiles/{a}", null)).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await gateway.Client.PutAsync($"api/spaces/{spaceId}/profiles/{b}", null)).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await gateway.Client.PutAsync($"api/spaces/{spaceId}/profiles/{b}", null)).StatusCode);

        Assert.Equal([a, b], await LinkedAsync(gateway, spaceId));
        Assert.Equal(HttpStatusCode.NoContent, (await gateway.Client.DeleteAsync($"api/spaces/{spaceId}/profiles/{a}")).StatusCode);
        Assert.Equal([b], await LinkedAsync(gateway, spaceId));
        await AssertProblemAsync(await gateway.Client.DeleteAsync($"api/spaces/{spaceId}/profiles/{a}"), HttpStatusCode.NotFound, "profile_not_found");
        await AssertProblemAsync(await gateway.Client.PutAsync($"api/spaces/{spaceId}/profiles/{Unknown}", null), HttpStatusCode.NotFound, "profile_not_found");
        await AssertProblemAsync(await gateway.Client.PutAsync($"api/spaces/{Unknown}/profiles/{a}", null), HttpStatusCode.NotFound, "space_not_found");
        await AssertProblemAsync(await gateway.Client.GetAsync($"api/spaces/{Unknown}/profiles"), HttpStatusCode.NotFound, "space_not_found");
        await AssertProblemAsync(await gateway.Client.DeleteAsync($"api/spaces/{Unknown}/profiles/{a}"), HttpStatusCode.NotFound, "space_not_found");
    }

    [Fact]
    public async Task Chat_InSpace_UsesTheDefaultProfile_ThenTheOnlyLinked_ThenRefusesSeveral()
    {
        var gateway = await StartGatewayWithStorageAsync();
        var a = await CreateProfileAsync(gateway, """{"name":"A","modelKey":"main","systemPrompt":"Prompt A"}""");
        var b = await CreateProfileAsync(gateway, """{"name":"B","modelKey":"main","systemPrompt":"Prompt B"}""");
        var spaceId = await CreateSpaceAsync(gateway, $$"""{"name":"Docs","defaultProfileId":"{{b}}"}""");
        await gateway.Client.PutAsync($"api/spaces/{spaceId}/profiles/{a}", null);

        Assert.Equal("Prompt B", await SystemPromptSentAsync(gateway, spaceId));

        await gateway.Client.PutAsync($"api/spaces/{spaceId}", Json("""{"name":"Docs"}"""));
        using var ambiguous = await gateway.Client.PostAsync("api/chat", Json(
            $$"""{"spaceId":"{{spaceId}}","messages":[{"role":"user","content":"Hi"}]}"""));
        await AssertProblemAsync(ambiguous, HttpStatusCode.Conflict, "profile_required");
        var listed = (await ReadJsonAsync(ambiguous)).GetProperty("profiles").EnumerateArray().Select(p => p.GetProperty("id").GetString());
        Assert.Equal([a, b], listed);

        await gateway.Client.DeleteAsync($"api/spaces/{spaceId}/profiles/{b}");
        Assert.Equal("Prompt A", await SystemPromptSentAsync(gateway, spaceId));

        await gateway.Client.DeleteAsync($"api/spaces/{spaceId}/profiles/{a}");
        Assert.Null(await SystemPromptSentAsync(gateway, spaceId));
    }

    [Fact]
    public async Task Chat_InSpace_StoresTheConversationThereAndContinuesWithTheSpacesProfile()
    {
        var gateway = await StartGatewayWithStorageAsync();
        var profile = await CreateProfileAsync(gateway, """{"name":"A","modelKey":"main","systemPrompt":"Prompt A"}""");
        var spaceId = await CreateSpaceAsync(gateway, $$"""{"name":"Docs","defaultProfileId":"{{profile}}"}""");
        using var first = await gateway.Client.PostAsync("api/chat", Json(
            $$"""{"spaceId":"{{spaceId}}","messages":[{"role":"user","content":"Hi"}]}"""));
        var conversationId = (await ReadJsonAsync(first)).GetProperty("conversationId").GetString();
        Upstream.ClearRequests();

        using var second = await gateway.Client.PostAsync("api/chat", Json(
            $$"""{"conversationId":"{{conversationId}}","messages":[{"role":"user","content":"Again"}]}"""));

        Assert.Equal(profile, (await ReadJsonAsync(second)).GetProperty("profileId").GetString());
        using var sent = JsonDocument.Parse(Assert.Single(Upstream.Requests).Body);
        Assert.Equal("Prompt A", sent.RootElement.GetProperty("messages")[0].GetProperty("content").GetString());
        var inSpace = (await ReadJsonAsync(await gateway.Client.GetAsync($"api/conversations?spaceId={spaceId}"))).GetProperty("items");
        Assert.Equal(conversationId, Assert.Single(inSpace.EnumerateArray()).GetProperty("id").GetString());
    }

    [Fact]
    public async Task Conversation_InUnknownSpace_Returns404()
    {
        var gateway = await StartGatewayWithStorageAsync();

        await AssertProblemAsync(
            await gateway.Client.PostAsync("api/conversations", Json($$"""{"spaceId":"{{Unknown}}"}""")), HttpStatusCode.NotFound, "space_not_found");
        await AssertProblemAsync(
            await gateway.Client.PostAsync("api/chat", Json($$"""{"spaceId":"{{Unknown}}","messages":[{"role":"user","content":"Hi"}]}""")),
            HttpStatusCode.NotFound,
            "space_not_found");
        Assert.Empty(Upstream.Requests);
        var all = (await ReadJsonAsync(await gateway.Client.GetAsync("api/conversations?archived=all"))).GetProperty("items");
        Assert.Equal(0, all.GetArrayLength());
    }

    [Fact]
    public async Task DeleteSpace_WithConversations_RefusesUnlessCascadeOrDetach()
    {
        var gateway = await StartGatewayWithStorageAsync();
        Upstream.Behavior = new UpstreamBehavior { Chunks = ["Hello"] };
        var kept = await CreateSpaceAsync(gateway, """{"name":"Kept"}""");
        var dropped = await CreateSpaceAsync(gateway, """{"name":"Dropped"}""");
        var keptConversation = await ChatInAsync(gateway, kept);
        var droppedConversation = await ChatInAsync(gateway, dropped);

        using var refused = await gateway.Client.DeleteAsync($"api/spaces/{kept}");
        await AssertProblemAsync(refused, HttpStatusCode.Conflict, "space_not_empty");
        Assert.Equal(1, (await ReadJsonAsync(refused)).GetProperty("conversationCount").GetInt32());
        Assert.Equal(HttpStatusCode.OK, (await gateway.Client.GetAsync($"api/spaces/{kept}")).StatusCode);

        Assert.Equal(HttpStatusCode.NoContent, (await gateway.Client.DeleteAsync($"api/spaces/{kept}?detach=true")).StatusCode);
        var detached = await ReadJsonAsync(await gateway.Client.GetAsync($"api/conversations/{keptConversation}"));
        Assert.Equal(JsonValueKind.Null, detached.GetProperty("spaceId").ValueKind);
        Assert.Equal(2, detached.GetProperty("messageCount").GetInt32());

        Assert.Equal(HttpStatusCode.NoContent, (await gateway.Client.DeleteAsync($"api/spaces/{dropped}?cascade=true")).StatusCode);
        await AssertProblemAsync(await gateway.Client.GetAsync($"api/conversations/{droppedConversation}"), HttpStatusCode.NotFound, "conversation_not_found");
        var found = (await ReadJsonAsync(await gateway.Client.GetAsync("api/search?q=hello"))).GetProperty("hits").EnumerateArray().ToList();
        Assert.NotEmpty(found);
        Assert.All(found, hit => Assert.Equal(keptConversation, hit.GetProperty("conversationId").GetString()));
    }

    internal static async Task<string> CreateSpaceAsync(GatewayTestHost gateway, string json)
    {
        using var response = await gateway.Client.PostAsync("api/spaces", Json(json));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await ReadJsonAsync(response)).GetProperty("id").GetString()!;
    }

    private static async Task<string> ChatInAsync(GatewayTestHost gateway, string spaceId)
    {
        using var response = await gateway.Client.PostAsync("api/chat", Json(
            $$"""{"spaceId":"{{spaceId}}","messages":[{"role":"user","content":"Say hello"}]}"""));
        return (await ReadJsonAsync(response)).GetProperty("conversationId").GetString()!;
    }

    private static async Task<List<string>> LinkedAsync(GatewayTestHost gateway, string spaceId) =>
        (await ReadJsonAsync(await gateway.Client.GetAsync($"api/spaces/{spaceId}/profiles"))).GetProperty("items")
            .EnumerateArray().Select(p => p.GetProperty("id").GetString()!).ToList();

    private async Task<string?> SystemPromptSentAsync(GatewayTestHost gateway, string spaceId)
    {
        Upstream.ClearRequests();
        using var response = await gateway.Client.PostAsync("api/chat", Json(
            $$"""{"spaceId":"{{spaceId}}","persist":false,"messages":[{"role":"user","content":"Hi"}]}"""));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var sent = JsonDocument.Parse(Assert.Single(Upstream.Requests).Body);
        var firstMessage = sent.RootElement.GetProperty("messages")[0];
        return firstMessage.GetProperty("role").GetString() == "system" ? firstMessage.GetProperty("content").GetString() : null;
    }
}
