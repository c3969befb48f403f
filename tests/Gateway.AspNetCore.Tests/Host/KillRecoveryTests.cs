using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
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
    private readonly List<Process> _processes = [];

    private string DatabasePath => Path.Combine(_folder, "gateway.db");

    [Fact]
    public async Task Host_KilledWhileFourClientsAppend_KeepsEveryAcknowledgedMessage()
    {
        var (host, client) = await StartHostAsync();
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

        host.Kill();
        await host.WaitForExitAsync();
        await Task.WhenAll(writers);
        client.Dispose();

        Assert.Empty(unexpected);
        var (_, restarted) = await StartHostAsync();
        foreach (var conversation in conversations)
        {
            var stored = await ReadAllMessageIdsAsync(restarted, conversation);
            var expected = acknowledged.Where(a => a.Conversation == conversation).Select(a => a.Message).ToList();
            Assert.All(expected, id => Assert.Contains(id, stored));
        }

        restarted.Dispose();
        StopAll();
        await using var connection = new SqliteConnection($"Data Source={DatabasePath};Pooling=False");
        await connection.OpenAsync();
        var check = connection.CreateCommand();
        check.CommandText = "PRAGMA integrity_check;";
        Assert.Equal("ok", (string?)await check.ExecuteScalarAsync());
        check.CommandText = "INSERT INTO messages_fts (messages_fts) VALUES ('integrity-check');";
        await check.ExecuteNonQueryAsync();
    }

    private async Task<(Process Host, HttpClient Client)> StartHostAsync()
    {
        var port = FreePort();
        var hostDll = Path.Combine(AppContext.BaseDirectory, "Gateway.Host.dll");
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = _folder,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(hostDll);
        start.ArgumentList.Add("--urls");
        start.ArgumentList.Add($"http://127.0.0.1:{port}");
        start.Environment["GATEWAY_DB"] = DatabasePath;
        start.Environment["MODEL_ROUTE_MAIN"] = "openai|http://127.0.0.1:9/v1|unused";
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        foreach (var name in new[] { "USE_REDIS", "REDIS_URL", "GATEWAY_API_KEYS", "DEFAULT_MODEL_KEY", "ALLOWED_MODELS", "RATE_LIMIT_PER_MIN" })
        {
            start.Environment.Remove(name);
        }

        var process = Process.Start(start)!;
        _processes.Add(process);
        var output = new StringBuilder();
        process.OutputDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
        process.ErrorDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/"), Timeout = TimeSpan.FromSeconds(30) };
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            try
            {
                using var health = await client.GetAsync("health");
                if (health.IsSuccessStatusCode)
                {
                    return (process, client);
                }
            }
            catch (HttpRequestException)
            {
            }

            if (process.HasExited || DateTime.UtcNow > deadline)
            {
                lock (output)
                {
                    Assert.Fail($"The host did not become healthy (exited: {process.HasExited}). Output:\n{output}");
                }
            }

            await Task.Delay(100);
        }
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

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    private void StopAll()
    {
        foreach (var process in _processes)
        {
            if (!process.HasExited)
            {
                process.Kill();
                process.WaitForExit();
            }

            process.Dispose();
        }

        _processes.Clear();
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
