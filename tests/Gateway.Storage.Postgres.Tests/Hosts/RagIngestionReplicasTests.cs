using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Gateway.Core.Storage.Jobs;
using Gateway.Storage.Postgres.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Storage.Postgres.Tests.Hosts;

/// <summary>Ingestions on two gateway replicas sharing one PostgreSQL database: the job worker of either runs any of them.</summary>
public sealed class RagIngestionReplicasTests : IAsyncLifetime
{
    private const int Ingestions = 6;
    private const int FilesEach = 4;

    private string _database = string.Empty;

    public async Task InitializeAsync() => _database = await PostgresServer.CreateDatabaseAsync();

    public Task DisposeAsync() => PostgresServer.DropDatabaseAsync(_database);

    [Fact]
    public async Task Ingestions_QueuedOnBothReplicas_EachIsClaimedOnceAndEachDocumentIngestedOnce()
    {
        await using var first = await StartAsync();
        await using var second = await StartAsync();
        var collectionId = (await first.PostAsync("api/rag/collections", new { name = "Shared" })).GetProperty("id").GetString()!;

        var ids = new List<string>();
        for (var i = 0; i < Ingestions; i++)
        {
            var replica = i % 2 == 0 ? first : second;
            using var response = await replica.Client.PostAsync($"api/rag/collections/{collectionId}/documents", Upload(i));
            Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
            ids.Add(JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("ingestionId").GetString()!);
        }

        var statuses = new List<JsonElement>();
        for (var i = 0; i < ids.Count; i++)
        {
            // Read from the replica that did not queue it: the status is the database's.
            statuses.Add(await WaitFinishedAsync(i % 2 == 0 ? second : first, ids[i]));
        }

        Assert.All(statuses, status => Assert.Equal(
            ("completed", FilesEach, FilesEach, 0, 0),
            (status.GetProperty("state").GetString(), status.GetProperty("documentsTotal").GetInt32(), status.GetProperty("documentsDone").GetInt32(),
                status.GetProperty("documentsSkipped").GetInt32(), status.GetProperty("documentsFailed").GetInt32())));
        var jobs = first.Services.GetRequiredService<IJobStore>();
        foreach (var id in ids)
        {
            var events = await jobs.ReadEventsAsync(id, 0, 200);
            Assert.Single(events, e => e.Type == JobEventTypes.Started);
        }

        var collection = await second.GetAsync($"api/rag/collections/{collectionId}");
        Assert.Equal(Ingestions * FilesEach, collection.GetProperty("documentCount").GetInt64());
        Assert.Equal(statuses.Sum(s => s.GetProperty("chunksDone").GetInt64()), collection.GetProperty("chunkCount").GetInt64());
    }

    private Task<GatewayReplica> StartAsync() => GatewayReplica.StartAsync(_database, gateway => gateway.AddOnnxEmbeddings().AddRag());

    private static MultipartFormDataContent Upload(int ingestion)
    {
        var content = new MultipartFormDataContent();
        for (var i = 0; i < FilesEach; i++)
        {
            var file = new ByteArrayContent(Encoding.UTF8.GetBytes($"Ingestion {ingestion} file {i}: the ferry number {ingestion * 10 + i} leaves the north pier at dawn."));
            file.Headers.ContentType = new MediaTypeHeaderValue("text/plain");
            content.Add(file, "files", $"ingestion-{ingestion}-file-{i}.txt");
        }

        return content;
    }

    private static async Task<JsonElement> WaitFinishedAsync(GatewayReplica replica, string ingestionId)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        while (true)
        {
            var status = await replica.GetAsync($"api/rag/ingestions/{ingestionId}");
            if (status.GetProperty("state").GetString() is "completed" or "failed" or "cancelled")
            {
                return status;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(50), timeout.Token);
        }
    }
}
