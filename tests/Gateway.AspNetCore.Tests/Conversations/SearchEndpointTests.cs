using System.Net;
using Gateway.AspNetCore.Tests.Infrastructure;
using Gateway.AspNetCore.Tests.Spaces;
using static Gateway.AspNetCore.Tests.Conversations.ConversationEndpointTests;

namespace Gateway.AspNetCore.Tests.Conversations;

public sealed class SearchEndpointTests : GatewayFixture
{
    [Fact]
    public async Task Search_FindsMessage_WithMarkedSnippetAndIds()
    {
        var gateway = await StartGatewayWithStorageAsync();
        var spaceId = await SpaceEndpointTests.CreateSpaceAsync(gateway, """{"name":"Zoo"}""");
        using var created = await gateway.Client.PostAsync("api/conversations", Json($$"""{"spaceId":"{{spaceId}}"}"""));
        var conversationId = (await ReadJsonAsync(created)).GetProperty("id").GetString()!;
        var messageId = await AppendAsync(gateway, conversationId, """{"role":"user","content":"Where do wombats sleep at night?"}""");
        await AppendAsync(gateway, conversationId, """{"role":"assistant","content":"In burrows."}""");

        var results = await ReadJsonAsync(await gateway.Client.GetAsync($"api/search?q=wombats&spaceId={spaceId}"));

        var hit = Assert.Single(results.GetProperty("hits").EnumerateArray());
        Assert.Equal(conversationId, hit.GetProperty("conversationId").GetString());
        Assert.Equal(messageId, hit.GetProperty("messageId").GetString());
        Assert.Equal("user", hit.GetProperty("role").GetString());
        Assert.Contains("<mark>wombats</mark>", hit.GetProperty("snippet").GetString());
        Assert.True(hit.TryGetProperty("score", out _));
        Assert.True(hit.TryGetProperty("createdAt", out _));
        Assert.Equal(0, results.GetProperty("pendingIndexMessages").GetInt64());
    }

    [Theory]
    [InlineData("\"")]
    [InlineData("\"\"\"")]
    [InlineData("*")]
    [InlineData("wombat*")]
    [InlineData("NEAR(wombat night)")]
    [InlineData("content:wombat")]
    [InlineData("wombat AND OR NOT")]
    [InlineData("-")]
    [InlineData("-wombat")]
    [InlineData("(((")]
    [InlineData("^wombat")]
    [InlineData("wombat\u0000night")]
    [InlineData("🦘 känguru 袋鼠")]
    [InlineData("'; DROP TABLE messages; --")]
    public async Task Search_HostileInput_Answers200Or400NeverAnythingElse(string q)
    {
        var gateway = await StartGatewayWithStorageAsync();
        using var created = await gateway.Client.PostAsync("api/conversations", Json("{}"));
        var conversationId = (await ReadJsonAsync(created)).GetProperty("id").GetString()!;
        await AppendAsync(gateway, conversationId, """{"role":"user","content":"The wombat sleeps at night 🦘 känguru"}""");

        using var response = await gateway.Client.GetAsync("api/search?q=" + Uri.EscapeDataString(q));

        Assert.True(response.StatusCode is HttpStatusCode.OK or HttpStatusCode.BadRequest, $"{response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        var body = await ReadJsonAsync(response);
        if (response.StatusCode == HttpStatusCode.BadRequest)
        {
            Assert.Equal("invalid_search_query", body.GetProperty("errorCode").GetString());
        }
    }

    [Fact]
    public async Task Search_VeryLongQuery_Answers400()
    {
        var gateway = await StartGatewayWithStorageAsync();

        using var response = await gateway.Client.GetAsync("api/search?q=" + new string('a', 5000));

        await AssertProblemAsync(response, HttpStatusCode.BadRequest, "invalid_search_query");
    }

    [Fact]
    public async Task Search_MissingQuery_Answers400()
    {
        var gateway = await StartGatewayWithStorageAsync();

        using var response = await gateway.Client.GetAsync("api/search");

        await AssertProblemAsync(response, HttpStatusCode.BadRequest, "invalid_search_query");
    }
}
