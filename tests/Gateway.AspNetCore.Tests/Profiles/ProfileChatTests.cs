using System.Net;
using System.Text.Json;
using Gateway.AspNetCore.Tests.Infrastructure;
using Gateway.TestUpstream;
using static Gateway.AspNetCore.Tests.Conversations.ConversationEndpointTests;

namespace Gateway.AspNetCore.Tests.Profiles;

public sealed class ProfileChatTests : GatewayFixture
{
    [Fact]
    public async Task Chat_WithProfileId_PrependsItsPromptAndAppliesItsParameters()
    {
        var gateway = await StartGatewayWithStorageAsync();
        var profileId = await CreateProfileAsync(gateway, ModelProfileEndpointTests.Writer);
        Upstream.Behavior = new UpstreamBehavior { Chunks = ["An old pond"] };

        using var response = await gateway.Client.PostAsync("api/chat", Json(
            $$"""{"profileId":"{{profileId}}","messages":[{"role":"user","content":"Write one"}]}"""));

        var body = await ReadJsonAsync(response);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(profileId, body.GetProperty("profileId").GetString());
        using var sent = JsonDocument.Parse(Assert.Single(Upstream.Requests).Body);
        var messages = sent.RootElement.GetProperty("messages");
        Assert.Equal("system", messages[0].GetProperty("role").GetString());
        Assert.Equal("You write haiku.", messages[0].GetProperty("content").GetString());
        Assert.Equal("Write one", messages[1].GetProperty("content").GetString());
        Assert.Equal(0.3, sent.RootElement.GetProperty("temperature").GetDouble(), 3);
        Assert.Equal(64, sent.RootElement.GetProperty("max_tokens").GetInt32());
        Assert.Equal(["END"], sent.RootElement.GetProperty("stop").EnumerateArray().Select(s => s.GetString()));

        // The profile's prompt shapes the request; it is not part of the stored conversation.
        var conversationId = body.GetProperty("conversationId").GetString();
        var stored = (await ReadJsonAsync(await gateway.Client.GetAsync($"api/conversations/{conversationId}/messages"))).GetProperty("items");
        Assert.Equal(["user", "assistant"], stored.EnumerateArray().Select(m => m.GetProperty("role").GetString()));
    }

    [Fact]
    public async Task Chat_WithProfileId_RequestParametersOverrideTheProfile()
    {
        var gateway = await StartGatewayWithStorageAsync();
        var profileId = await CreateProfileAsync(gateway, ModelProfileEndpointTests.Writer);

        using var response = await gateway.Client.PostAsync("api/chat/stream", Json(
            $$"""{"profileId":"{{profileId}}","options":{"temperature":1.5,"maxTokens":7},"messages":[{"role":"user","content":"Write one"}]}"""));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var events = new List<SseEvent>();
        await foreach (var sseEvent in SseReader.ReadAsync(await response.Content.ReadAsStreamAsync()))
        {
            events.Add(sseEvent);
        }

        Assert.Equal(profileId, JsonDocument.Parse(events.Single(e => e.Name == "done").Data).RootElement.GetProperty("profileId").GetString());
        using var sent = JsonDocument.Parse(Assert.Single(Upstream.Requests).Body);
        Assert.Equal(1.5, sent.RootElement.GetProperty("temperature").GetDouble(), 3);
        Assert.Equal(7, sent.RootElement.GetProperty("max_tokens").GetInt32());
        Assert.Equal(0.9, sent.RootElement.GetProperty("top_p").GetDouble(), 3);
    }

    [Fact]
    public async Task Chat_ModelKeyBesideProfile_UsesTheKeysRouteWithTheProfilesPrompt()
    {
        var gateway = await StartGatewayWithStorageAsync(("MODEL_ROUTE_OTHER", OpenAIRoute("other-model")));
        var profileId = await CreateProfileAsync(gateway, ModelProfileEndpointTests.Writer);

        using var response = await gateway.Client.PostAsync("api/chat", Json(
            $$"""{"modelKey":"other","profileId":"{{profileId}}","messages":[{"role":"user","content":"Write one"}]}"""));

        Assert.Equal("other", (await ReadJsonAsync(response)).GetProperty("modelKey").GetString());
        using var sent = JsonDocument.Parse(Assert.Single(Upstream.Requests).Body);
        Assert.Equal("other-model", sent.RootElement.GetProperty("model").GetString());
        Assert.Equal("system", sent.RootElement.GetProperty("messages")[0].GetProperty("role").GetString());
    }

    [Fact]
    public async Task Chat_UnknownProfileId_Returns404()
    {
        var gateway = await StartGatewayWithStorageAsync();

        await AssertProblemAsync(
            await gateway.Client.PostAsync("api/chat", Json("""{"profileId":"0190a000-0000-7000-8000-000000000000","messages":[{"role":"user","content":"Hi"}]}""")),
            HttpStatusCode.NotFound,
            "profile_not_found");
        Assert.Empty(Upstream.Requests);
    }

    [Fact]
    public async Task OpenAI_ProfileModelName_AppliesTheProfile()
    {
        var gateway = await StartGatewayWithStorageAsync();
        await CreateProfileAsync(gateway, ModelProfileEndpointTests.Writer);

        using var response = await gateway.Client.PostAsync("v1/chat/completions", Json(
            """{"model":"profile:writer","messages":[{"role":"user","content":"Write one"}]}"""));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("profile:writer", (await ReadJsonAsync(response)).GetProperty("model").GetString());
        using var sent = JsonDocument.Parse(Assert.Single(Upstream.Requests).Body);
        Assert.Equal("You write haiku.", sent.RootElement.GetProperty("messages")[0].GetProperty("content").GetString());
        Assert.Equal(64, sent.RootElement.GetProperty("max_tokens").GetInt32());
    }

    [Fact]
    public async Task OpenAI_ModelList_OffersEachProfileWhoseRouteIsAllowed()
    {
        var gateway = await StartGatewayWithStorageAsync(("MODEL_ROUTE_OK", OpenAIRoute("ok-model")), ("ALLOWED_MODELS", "ok-model"));
        await CreateProfileAsync(gateway, """{"name":"Writer","modelKey":"ok"}""");

        using var response = await gateway.Client.GetAsync("v1/models");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var data = (await ReadJsonAsync(response)).GetProperty("data").EnumerateArray().ToList();
        Assert.Equal(["ok", "profile:Writer"], data.Select(m => m.GetProperty("id").GetString()));
        Assert.Equal("profile", data[1].GetProperty("owned_by").GetString());
        Assert.True(data[1].GetProperty("created").GetInt64() > 0);
    }

    [Fact]
    public async Task OpenAI_UnknownProfileName_Returns404()
    {
        var gateway = await StartGatewayWithStorageAsync();

        using var response = await gateway.Client.PostAsync("v1/chat/completions", Json(
            """{"model":"profile:nobody","messages":[{"role":"user","content":"Hi"}]}"""));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("profile_not_found", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Empty(Upstream.Requests);
    }

    internal static async Task<string> CreateProfileAsync(GatewayTestHost gateway, string json)
    {
        using var response = await gateway.Client.PostAsync("api/model-profiles", Json(json));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await ReadJsonAsync(response)).GetProperty("id").GetString()!;
    }
}
