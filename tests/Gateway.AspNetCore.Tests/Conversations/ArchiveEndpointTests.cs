using System.Net;
using System.Text;
using System.Text.Json;
using Gateway.AspNetCore.Tests.Infrastructure;
using static Gateway.AspNetCore.Tests.Conversations.ConversationEndpointTests;

namespace Gateway.AspNetCore.Tests.Conversations;

public sealed class ArchiveEndpointTests : GatewayFixture
{
    [Fact]
    public async Task ExportThenImport_IntoAnotherGateway_RoundTripsAndIsIdempotent()
    {
        var source = await StartGatewayWithStorageAsync();
        using var created = await source.Client.PostAsync("api/conversations", Json("""{"title":"Keep me","metadata":{"tag":"x"}}"""));
        var conversationId = (await ReadJsonAsync(created)).GetProperty("id").GetString()!;
        var question = await AppendAsync(source, conversationId, """{"role":"user","content":"Question"}""");
        await AppendAsync(source, conversationId, """{"role":"assistant","content":"Answer one"}""");
        await AppendAsync(source, conversationId, $$"""{"role":"assistant","content":"Answer two","parentId":"{{question}}"}""");

        using var export = await source.Client.GetAsync("api/conversations/export");
        Assert.Equal(HttpStatusCode.OK, export.StatusCode);
        Assert.Equal("attachment", export.Content.Headers.ContentDisposition?.DispositionType);
        var file = await export.Content.ReadAsByteArrayAsync();

        var target = await StartGatewayWithStorageAsync();
        var first = await ReadJsonAsync(await target.Client.PostAsync("api/conversations/import", JsonBytes(file)));
        var second = await ReadJsonAsync(await target.Client.PostAsync("api/conversations/import", JsonBytes(file)));

        Assert.Equal(1, first.GetProperty("conversationsImported").GetInt32());
        Assert.Equal(3, first.GetProperty("messagesImported").GetInt64());
        Assert.Equal(0, second.GetProperty("conversationsImported").GetInt32());
        Assert.Equal(0, second.GetProperty("messagesImported").GetInt64());
        Assert.True(second.GetProperty("duplicatesSkipped").GetInt64() > 0);
        var imported = await ReadJsonAsync(await target.Client.GetAsync($"api/conversations/{conversationId}"));
        Assert.Equal("Keep me", imported.GetProperty("title").GetString());
        Assert.Equal("x", imported.GetProperty("metadata").GetProperty("tag").GetString());
        var all = await ReadJsonAsync(await target.Client.GetAsync($"api/conversations/{conversationId}/messages?branch=all"));
        Assert.Equal(3, all.GetProperty("items").GetArrayLength());
        var active = await ReadJsonAsync(await target.Client.GetAsync($"api/conversations/{conversationId}/messages"));
        Assert.Equal("Answer two", active.GetProperty("items")[1].GetProperty("content").GetString());
    }

    [Fact]
    public async Task Export_SelectedIds_ContainsOnlyThose()
    {
        var gateway = await StartGatewayWithStorageAsync();
        var ids = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            using var created = await gateway.Client.PostAsync("api/conversations", Json($$"""{"title":"c{{i}}"}"""));
            ids.Add((await ReadJsonAsync(created)).GetProperty("id").GetString()!);
        }

        var export = await ReadJsonAsync(await gateway.Client.GetAsync($"api/conversations/export?ids={ids[0]},{ids[2]}"));

        Assert.Equal([ids[0], ids[2]], export.GetProperty("conversations").EnumerateArray().Select(c => c.GetProperty("id").GetString()));
    }

    [Fact]
    public async Task Import_TruncatedFile_Answers400WithPathAndWritesNothing()
    {
        var source = await StartGatewayWithStorageAsync();
        for (var i = 0; i < 3; i++)
        {
            using var created = await source.Client.PostAsync("api/conversations", Json($$"""{"title":"c{{i}}"}"""));
            await AppendAsync(source, (await ReadJsonAsync(created)).GetProperty("id").GetString()!, """{"role":"user","content":"hello there"}""");
        }

        var file = await (await source.Client.GetAsync("api/conversations/export")).Content.ReadAsByteArrayAsync();
        var truncated = file[..(file.Length * 3 / 4)];
        var target = await StartGatewayWithStorageAsync();

        using var response = await target.Client.PostAsync("api/conversations/import", JsonBytes(truncated));

        await AssertProblemAsync(response, HttpStatusCode.BadRequest, "invalid_import");
        var problem = await ReadJsonAsync(response);
        Assert.StartsWith("$", problem.GetProperty("path").GetString());
        var list = await ReadJsonAsync(await target.Client.GetAsync("api/conversations?archived=all"));
        Assert.Empty(list.GetProperty("items").EnumerateArray());
    }

    [Fact]
    public async Task Import_BadFieldInLaterConversation_Answers400NamingItsPath()
    {
        var gateway = await StartGatewayWithStorageAsync();
        const string file = """
            {"format":"gateway.conversations","formatVersion":1,"exportedAt":"2026-01-01T00:00:00Z","conversations":[
              {"id":"0190f0f0-0000-7000-8000-000000000001","title":"ok","metadata":{},"createdAt":"2026-01-01T00:00:00Z","updatedAt":"2026-01-01T00:00:00Z","archived":false,"activeMessageId":null,"messages":[]},
              {"id":"0190f0f0-0000-7000-8000-000000000002","title":"bad","metadata":{},"createdAt":"2026-01-01T00:00:00Z","updatedAt":"2026-01-01T00:00:00Z","archived":false,"activeMessageId":null,"messages":[
                {"id":"0190f0f0-0000-7000-8000-000000000003","parentId":null,"role":42,"content":"x","status":"complete","createdAt":"2026-01-01T00:00:00Z"}]}
            ]}
            """;

        using var response = await gateway.Client.PostAsync("api/conversations/import", Json(file));

        await AssertProblemAsync(response, HttpStatusCode.BadRequest, "invalid_import");
        Assert.Equal("$.conversations[1].messages[0].role", (await ReadJsonAsync(response)).GetProperty("path").GetString());
        var list = await ReadJsonAsync(await gateway.Client.GetAsync("api/conversations?archived=all"));
        Assert.Empty(list.GetProperty("items").EnumerateArray());
    }

    [Fact]
    public async Task Import_ChatGptExport_ImportsOnceAndIsSearchable()
    {
        var gateway = await StartGatewayWithStorageAsync();
        const string file = """
            [{"title":"Platypus facts","create_time":1700000000.5,"update_time":1700000100.0,"conversation_id":"c-1","current_node":"n3",
              "mapping":{
                "n0":{"id":"n0","message":null,"parent":null,"children":["n1"]},
                "n1":{"id":"n1","message":{"id":"n1","author":{"role":"user"},"create_time":1700000001.0,"content":{"content_type":"text","parts":["Do platypuses lay eggs?"]},"metadata":{}},"parent":"n0","children":["n2","n3"]},
                "n2":{"id":"n2","message":{"id":"n2","author":{"role":"assistant"},"create_time":1700000002.0,"content":{"content_type":"text","parts":["Yes."]},"metadata":{}},"parent":"n1","children":[]},
                "n3":{"id":"n3","message":{"id":"n3","author":{"role":"assistant"},"create_time":1700000003.0,"content":{"content_type":"text","parts":["Yes, platypuses are monotremes."]},"metadata":{}},"parent":"n1","children":[]}
              }}]
            """;

        var first = await ReadJsonAsync(await gateway.Client.PostAsync("api/conversations/import", Json(file)));
        var second = await ReadJsonAsync(await gateway.Client.PostAsync("api/conversations/import", Json(file)));

        Assert.Equal(1, first.GetProperty("conversationsImported").GetInt32());
        Assert.Equal(3, first.GetProperty("messagesImported").GetInt64());
        Assert.Equal(0, second.GetProperty("conversationsImported").GetInt32());
        var list = await ReadJsonAsync(await gateway.Client.GetAsync("api/conversations"));
        var conversation = Assert.Single(list.GetProperty("items").EnumerateArray());
        Assert.Equal("Platypus facts", conversation.GetProperty("title").GetString());
        var active = await ReadJsonAsync(await gateway.Client.GetAsync($"api/conversations/{conversation.GetProperty("id").GetString()}/messages"));
        Assert.Equal("Yes, platypuses are monotremes.", active.GetProperty("items")[1].GetProperty("content").GetString());
        var hits = await WaitForHitsAsync(gateway, "monotremes");
        Assert.Single(hits.EnumerateArray());
    }

    [Fact]
    public async Task Import_NotJson_Answers415()
    {
        var gateway = await StartGatewayWithStorageAsync();

        using var response = await gateway.Client.PostAsync("api/conversations/import", new StringContent("[]", Encoding.UTF8, "text/plain"));

        await AssertProblemAsync(response, HttpStatusCode.BadRequest, "unsupported_media_type");
    }

    private static ByteArrayContent JsonBytes(byte[] bytes)
    {
        var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = new("application/json");
        return content;
    }

    // Imports index for search in the background right after they commit.
    private static async Task<JsonElement> WaitForHitsAsync(GatewayTestHost gateway, string q)
    {
        for (var attempt = 0; ; attempt++)
        {
            var results = await ReadJsonAsync(await gateway.Client.GetAsync("api/search?q=" + q));
            if (results.GetProperty("pendingIndexMessages").GetInt64() == 0 || attempt == 100)
            {
                return results.GetProperty("hits");
            }

            await Task.Delay(100);
        }
    }
}
