using System.Net;
using System.Text.Json;
using Gateway.AspNetCore.Tests.Infrastructure;
using static Gateway.AspNetCore.Tests.Conversations.ConversationEndpointTests;

namespace Gateway.AspNetCore.Tests.Profiles;

public sealed class ModelProfileEndpointTests : GatewayFixture
{
    internal const string Writer = """{"name":"Writer","modelKey":"main","systemPrompt":"You write haiku.","temperature":0.3,"topP":0.9,"maxTokens":64,"stop":["END"],"contextWindow":8192,"metadata":{"team":"docs"}}""";

    [Fact]
    public async Task Profile_CreateReadReplaceDelete_RoundTripsEveryField()
    {
        var gateway = await StartGatewayWithStorageAsync();

        using var created = await gateway.Client.PostAsync("api/model-profiles", Json(Writer));

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var profile = await ReadJsonAsync(created);
        var id = profile.GetProperty("id").GetString()!;
        Assert.Equal($"/api/model-profiles/{id}", created.Headers.Location?.OriginalString);
        var read = await ReadJsonAsync(await gateway.Client.GetAsync($"api/model-profiles/{id}"));
        Assert.Equal("Writer", read.GetProperty("name").GetString());
        Assert.Equal("main", read.GetProperty("modelKey").GetString());
        Assert.Equal("You write haiku.", read.GetProperty("systemPrompt").GetString());
        Assert.Equal(0.3f, read.GetProperty("temperature").GetSingle());
        Assert.Equal(0.9f, read.GetProperty("topP").GetSingle());
        Assert.Equal(64, read.GetProperty("maxTokens").GetInt32());
        Assert.Equal(["END"], read.GetProperty("stop").EnumerateArray().Select(s => s.GetString()));
        Assert.Equal(8192, read.GetProperty("contextWindow").GetInt32());
        Assert.Equal("docs", read.GetProperty("metadata").GetProperty("team").GetString());

        using var replaced = await gateway.Client.PutAsync($"api/model-profiles/{id}", Json("""{"name":"Poet","modelKey":"main"}"""));

        var after = await ReadJsonAsync(replaced);
        Assert.Equal(HttpStatusCode.OK, replaced.StatusCode);
        Assert.Equal("Poet", after.GetProperty("name").GetString());
        Assert.Equal(JsonValueKind.Null, after.GetProperty("systemPrompt").ValueKind);
        Assert.Equal(JsonValueKind.Null, after.GetProperty("temperature").ValueKind);
        Assert.Equal(0, after.GetProperty("stop").GetArrayLength());

        Assert.Equal(HttpStatusCode.NoContent, (await gateway.Client.DeleteAsync($"api/model-profiles/{id}")).StatusCode);
        await AssertProblemAsync(await gateway.Client.GetAsync($"api/model-profiles/{id}"), HttpStatusCode.NotFound, "profile_not_found");
        await AssertProblemAsync(await gateway.Client.DeleteAsync($"api/model-profiles/{id}"), HttpStatusCode.NotFound, "profile_not_found");
        await AssertProblemAsync(await gateway.Client.PutAsync($"api/model-profiles/{id}", Json(Writer)), HttpStatusCode.NotFound, "profile_not_found");
    }

    [Fact]
    public async Task Profiles_ListInPages_EachOnceInCreationOrder()
    {
        var gateway = await StartGatewayWithStorageAsync();
        var ids = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            using var created = await gateway.Client.PostAsync("api/model-profiles", Json($$"""{"name":"p{{i}}","modelKey":"main"}"""));
            ids.Add((await ReadJsonAsync(created)).GetProperty("id").GetString()!);
        }

        var seen = new List<string>();
        string? cursor = null;
        var pages = 0;
        do
        {
            var page = await ReadJsonAsync(await gateway.Client.GetAsync($"api/model-profiles?limit=2{(cursor is null ? "" : $"&cursor={cursor}")}"));
            seen.AddRange(page.GetProperty("items").EnumerateArray().Select(p => p.GetProperty("id").GetString()!));
            cursor = page.GetProperty("nextCursor").GetString();
            pages++;
        }
        while (cursor is not null);

        Assert.Equal(ids, seen);
        Assert.Equal(3, pages);
        await AssertProblemAsync(await gateway.Client.GetAsync("api/model-profiles?cursor=bogus"), HttpStatusCode.BadRequest, "invalid_cursor");
        await AssertProblemAsync(await gateway.Client.GetAsync("api/model-profiles?limit=0"), HttpStatusCode.BadRequest, "invalid_request");
    }

    [Theory]
    [InlineData("""{"name":"a","modelKey":"main","temperature":2.5}""", "temperature")]
    [InlineData("""{"name":"a","modelKey":"main","temperature":-0.1}""", "temperature")]
    [InlineData("""{"name":"a","modelKey":"main","topP":1.5}""", "topP")]
    [InlineData("""{"name":"a","modelKey":"main","maxTokens":-1}""", "maxTokens")]
    [InlineData("""{"name":"a","modelKey":"main","contextWindow":0}""", "contextWindow")]
    [InlineData("""{"name":"a","modelKey":"main","metadata":[1]}""", "metadata")]
    [InlineData("""{"name":"a","modelKey":"main","stop":[""]}""", "stop[0]")]
    [InlineData("""{"modelKey":"main"}""", "name")]
    [InlineData("""{"name":"   ","modelKey":"main"}""", "name")]
    [InlineData("""{"name":"a"}""", "modelKey")]
    [InlineData("""{"name":"a","modelKey":"not a key!"}""", "modelKey")]
    public async Task Profile_InvalidField_Returns400NamingTheField(string json, string field)
    {
        var gateway = await StartGatewayWithStorageAsync();

        using var response = await gateway.Client.PostAsync("api/model-profiles", Json(json));

        await AssertProblemAsync(response, HttpStatusCode.BadRequest, "invalid_request");
        Assert.Equal(field, (await ReadJsonAsync(response)).GetProperty("field").GetString());
    }

    [Fact]
    public async Task Profile_WrongJsonType_Returns400WithThePath()
    {
        var gateway = await StartGatewayWithStorageAsync();

        using var response = await gateway.Client.PostAsync("api/model-profiles", Json("""{"name":"a","modelKey":"main","temperature":"hot"}"""));

        await AssertProblemAsync(response, HttpStatusCode.BadRequest, "malformed_request");
        Assert.Equal("$.temperature", (await ReadJsonAsync(response)).GetProperty("path").GetString());
    }

    [Fact]
    public async Task Profile_UnknownModelKey_Returns404NamingTheField()
    {
        var gateway = await StartGatewayWithStorageAsync();

        using var response = await gateway.Client.PostAsync("api/model-profiles", Json("""{"name":"a","modelKey":"nope"}"""));

        await AssertProblemAsync(response, HttpStatusCode.NotFound, "route_not_found");
        var problem = await ReadJsonAsync(response);
        Assert.Equal("modelKey", problem.GetProperty("field").GetString());
        Assert.Equal(["main"], problem.GetProperty("availableKeys").EnumerateArray().Select(k => k.GetString()));
    }

    [Fact]
    public async Task Profile_DuplicateNameIgnoringCase_Returns409AndKeepsTheFirst()
    {
        var gateway = await StartGatewayWithStorageAsync();
        using var first = await gateway.Client.PostAsync("api/model-profiles", Json("""{"name":"Writer","modelKey":"main"}"""));
        using var other = await gateway.Client.PostAsync("api/model-profiles", Json("""{"name":"Other","modelKey":"main"}"""));
        var otherId = (await ReadJsonAsync(other)).GetProperty("id").GetString();

        await AssertProblemAsync(
            await gateway.Client.PostAsync("api/model-profiles", Json("""{"name":"WRITER","modelKey":"main"}""")), HttpStatusCode.Conflict, "profile_name_taken");
        await AssertProblemAsync(
            await gateway.Client.PutAsync($"api/model-profiles/{otherId}", Json("""{"name":"writer","modelKey":"main"}""")), HttpStatusCode.Conflict, "profile_name_taken");

        var names = (await ReadJsonAsync(await gateway.Client.GetAsync("api/model-profiles"))).GetProperty("items").EnumerateArray().Select(p => p.GetProperty("name").GetString());
        Assert.Equal(["Writer", "Other"], names);
    }

    [Fact]
    public async Task Profile_ModelOutsideAllowlist_Returns403WithTheAllowedList()
    {
        var gateway = await StartGatewayWithStorageAsync(("MODEL_ROUTE_OK", OpenAIRoute("ok-model")), ("ALLOWED_MODELS", "ok-model"));

        using var refused = await gateway.Client.PostAsync("api/model-profiles", Json("""{"name":"a","modelKey":"main"}"""));

        await AssertProblemAsync(refused, HttpStatusCode.Forbidden, "model_not_allowed");
        Assert.Equal(["ok-model"], (await ReadJsonAsync(refused)).GetProperty("allowedModels").EnumerateArray().Select(m => m.GetString()));
        using var allowed = await gateway.Client.PostAsync("api/model-profiles", Json("""{"name":"a","modelKey":"ok"}"""));
        Assert.Equal(HttpStatusCode.Created, allowed.StatusCode);
        var id = (await ReadJsonAsync(allowed)).GetProperty("id").GetString();
        await AssertProblemAsync(
            await gateway.Client.PutAsync($"api/model-profiles/{id}", Json("""{"name":"a","modelKey":"main"}""")), HttpStatusCode.Forbidden, "model_not_allowed");
    }

    [Fact]
    public async Task Profile_ModelDisallowedLater_StaysReadableButChatThroughItIs403()
    {
        var folder = Directory.CreateTempSubdirectory("gateway-profile-allowlist-").FullName;
        try
        {
            var database = ("GATEWAY_DB", Path.Combine(folder, "gateway.db"));
            var before = await StartGatewayWithStorageAsync(database);
            using var created = await before.Client.PostAsync("api/model-profiles", Json("""{"name":"a","modelKey":"main"}"""));
            var id = (await ReadJsonAsync(created)).GetProperty("id").GetString()!;

            // The same database, served again with an allowlist that no longer permits the profile's model.
            var after = await StartGatewayWithStorageAsync(database, ("MODEL_ROUTE_OK", OpenAIRoute("ok-model")), ("ALLOWED_MODELS", "ok-model"));

            Assert.Equal(HttpStatusCode.OK, (await after.Client.GetAsync($"api/model-profiles/{id}")).StatusCode);
            var offered = (await ReadJsonAsync(await after.Client.GetAsync("v1/models"))).GetProperty("data").EnumerateArray().Select(m => m.GetProperty("id").GetString());
            Assert.Equal(["ok"], offered);
            await AssertProblemAsync(
                await after.Client.PostAsync("api/chat", Json($$"""{"profileId":"{{id}}","messages":[{"role":"user","content":"Hi"}]}""")),
                HttpStatusCode.Forbidden,
                "model_not_allowed");
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(folder, recursive: true);
        }
    }
}
