using System.Collections.Concurrent;
using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.Data.Sqlite;

namespace Gateway.AspNetCore.Tests.Host;

/// <summary>
/// The sample host as a real process on a real SQLite file, killed with SIGKILL while clients write:
/// every message it acknowledged with 201 must survive, and the file must pass an integrity check.
/// </summary>
public sealed class KillRecoveryTests : IAsyncLifetime
{
    private const int Clients = 4;
    private readonly string _folder = Directory.CreateTempSubdirectory("gateway-kill-").FullName;
    private readonly List<SampleHostProcess> _hosts = [];

    private string DatabasePath => Path.Combine(_folder, "gateway.db");

    [Fact]
    public async Task Host_KilledWhileFourClientsAppend_KeepsEveryAcknowledgedMessage()
    {
        var host = await StartHostAsync();
        var client = host.Client;
        var conversations = new List<string>();
        for (var i = 0; i < Clients; i++)
        {
            using var created = await client.PostAsync("api/conversations", Json($$"""{"title":"writer {{i}}"}"""));
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
            conversations.Add(JsonDocument.Parse(await created.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetString()!);
        }

        var acknowledged = new ConcurrentBag<(string Conversation, string Message)>();
        var unexpected = new ConcurrentBag<string>();
        var writers = conversations.Select(conversation => Task.Run(async () =>
        {
            for (var n = 0; ; n++)
            {
                HttpResponseMessage response;
                try
                {
                    response = await client.PostAsync(
                        $"api/conversations/{conversation}/messages", Json($$"""{"role":"user","content":"message {{n}} of a writer that keeps writing"}"""));
                }
                catch (HttpRequestException)
                {
                    return; // the host is gone
                }

                using (response)
                {
                    var body = await response.Content.ReadAsStringAsync();
                    if (response.StatusCode == HttpStatusCode.Created)
                    {
                        acknowledged.Add((conversation, JsonDocument.Parse(body).RootElement.GetProperty("id").GetString()!));
                    }
                    else if (response.StatusCode != HttpStatusCode.ServiceUnavailable)
                    {
                        unexpected.Add($"{(int)response.StatusCode}: {body}");
                    }
                }
            }
        })).ToList();

        // Let the writers get going, then pull the plug mid-write.
        while (acknowledged.Count < 200)
        {
            await Task.Delay(20);
        }

        await host.KillAsync();
        await Task.WhenAll(writers);

        Assert.Empty(unexpected);
        var restarted = (await StartHostAsync()).Client;
        foreach (var conversation in conversations)
        {
            var stored = await ReadAllMessageIdsAsync(restarted, conversation);
            var expected = acknowledged.Where(a => a.Conversation == conversation).Select(a => a.Message).ToList();
            Assert.All(expected, id => Assert.Contains(id, stored));
        }

        StopAll();
        await using var connection = new SqliteConnection($"Data Source={DatabasePath};Pooling=False");
        await connection.OpenAsync();
        var check = connection.CreateCommand();
        check.CommandText = "PRAGMA integrity_check;";
        Assert.Equal("ok", (string?)await check.ExecuteScalarAsync());
        check.CommandText = "INSERT INTO messages_fts (messages_fts) VALUES ('integrity-check');";
        await check.ExecuteNonQueryAsync();
    }

    private async Task<SampleHostProcess> StartHostAsync()
    {
        var host = await SampleHostProcess.StartAsync(_folder, new Dictionary<string, string>
        {
            ["GATEWAY_DB"] = DatabasePath,
            ["MODEL_ROUTE_MAIN"] = "openai|http://127.0.0.1:9/v1|unused",
        });
        _hosts.Add(host);
        return host;
    }

    private static async Task<HashSet<string>> ReadAllMessageIdsAsync(HttpClient client, string conversation)
    {
        var ids = new HashSet<string>();
        string? cursor = null;
        do
        {
            var url = $"api/conversations/{conversation}/messages?branch=all&limit=200" + (cursor is null ? "" : "&cursor=" + Uri.EscapeDataString(cursor));
            using var page = JsonDocument.Parse(await client.GetStringAsync(url));
            foreach (var message in page.RootElement.GetProperty("items").EnumerateArray())
            {
                ids.Add(message.GetProperty("id").GetString()!);
            }

            cursor = page.RootElement.GetProperty("nextCursor").GetString();
        }
        while (cursor is not null);
        return ids;
    }

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    private void StopAll()
    {
        foreach (var host in _hosts)
        {
            host.Dispose();
        }

        _hosts.Clear();
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync()
    {
        StopAll();
        SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
        return Task.CompletedTask;
    }
}
