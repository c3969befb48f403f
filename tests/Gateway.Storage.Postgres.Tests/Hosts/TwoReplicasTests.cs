using System.Collections.Concurrent;
using Gateway.Storage.Postgres.Tests.Infrastructure;

namespace Gateway.Storage.Postgres.Tests.Hosts;

/// <summary>Two gateway replicas, each its own host with its own connection pool, on one PostgreSQL database.</summary>
public sealed class TwoReplicasTests : IAsyncLifetime
{
    private string _database = string.Empty;

    public async Task InitializeAsync() => _database = await PostgresServer.CreateDatabaseAsync();

    public Task DisposeAsync() => PostgresServer.DropDatabaseAsync(_database);

    [Fact]
    public async Task Replicas_WhatOneWrites_TheOtherReadsAndFinds()
    {
        await using var first = await GatewayReplica.StartAsync(_database);
        await using var second = await GatewayReplica.StartAsync(_database);

        var conversation = await first.PostAsync("api/conversations", new { title = "Zoo" });
        var id = conversation.GetProperty("id").GetString()!;
        var message = await first.PostAsync($"api/conversations/{id}/messages", new { role = "user", content = "Where does the okapi live?" });

        var read = await second.GetAsync($"api/conversations/{id}");
        var messages = await second.GetAsync($"api/conversations/{id}/messages");
        var found = await second.GetAsync("api/search?q=okapi");

        Assert.Equal("Zoo", read.GetProperty("title").GetString());
        Assert.Equal(1, read.GetProperty("messageCount").GetInt32());
        Assert.Equal(message.GetProperty("id").GetString(), Assert.Single(messages.GetProperty("items").EnumerateArray()).GetProperty("id").GetString());
        var hit = Assert.Single(found.GetProperty("hits").EnumerateArray());
        Assert.Equal(message.GetProperty("id").GetString(), hit.GetProperty("messageId").GetString());
        Assert.Contains("<mark>okapi</mark>", hit.GetProperty("snippet").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Replicas_200ConcurrentAppendsSpreadOverBoth_LandExactlyOnceInOneChain()
    {
        const int Appends = 200;
        await using var first = await GatewayReplica.StartAsync(_database);
        await using var second = await GatewayReplica.StartAsync(_database);
        var id = (await first.PostAsync("api/conversations", new { title = "busy" })).GetProperty("id").GetString()!;

        var written = new ConcurrentBag<(string Id, DateTimeOffset CreatedAt)>();
        await Parallel.ForEachAsync(Enumerable.Range(0, Appends), new ParallelOptions { MaxDegreeOfParallelism = 32 }, async (i, _) =>
        {
            var replica = i % 2 == 0 ? first : second;
            var message = await replica.PostAsync($"api/conversations/{id}/messages", new { role = "user", content = $"append {i}" });
            written.Add((message.GetProperty("id").GetString()!, message.GetProperty("createdAt").GetDateTimeOffset()));
        });

        var conversation = await second.GetAsync($"api/conversations/{id}");
        var chain = new List<(string Id, string? ParentId)>();
        string? cursor = null;
        do
        {
            var page = await first.GetAsync($"api/conversations/{id}/messages?limit=200" + (cursor is null ? "" : "&cursor=" + Uri.EscapeDataString(cursor)));
            chain.AddRange(page.GetProperty("items").EnumerateArray().Select(m =>
                (m.GetProperty("id").GetString()!, m.TryGetProperty("parentId", out var p) ? p.GetString() : null)));
            cursor = page.GetProperty("nextCursor").GetString();
        }
        while (cursor is not null);

        // Exactly once: the count, the ids, and one unbroken chain (each append followed the leaf the one before it left).
        Assert.Equal(Appends, conversation.GetProperty("messageCount").GetInt32());
        Assert.Equal(written.Select(w => w.Id).Order(StringComparer.Ordinal), chain.Select(m => m.Id).Order(StringComparer.Ordinal));
        Assert.Null(chain[0].ParentId);
        for (var i = 1; i < chain.Count; i++)
        {
            Assert.Equal(chain[i - 1].Id, chain[i].ParentId);
        }

        Assert.Equal(chain[^1].Id, conversation.GetProperty("activeMessageId").GetString());
        Assert.True(conversation.GetProperty("updatedAt").GetDateTimeOffset() >= written.Max(w => w.CreatedAt));
    }

    [Fact]
    public async Task Replicas_StartedTogetherOnAnEmptyDatabase_BothComeUpAndTheSchemaIsMigratedOnce()
    {
        var replicas = await Task.WhenAll(GatewayReplica.StartAsync(_database), GatewayReplica.StartAsync(_database));
        try
        {
            foreach (var replica in replicas)
            {
                using var health = await replica.Client.GetAsync("health");
                Assert.True(health.IsSuccessStatusCode, $"health: {(int)health.StatusCode}");
                await replica.PostAsync("api/conversations", new { title = "up" });
            }

            // Each step is recorded once; a step applied twice would have failed on its CREATE TABLE.
            Assert.Equal((long)PostgresMigrationBackend.Migrations.Count, await PostgresServer.ScalarAsync(_database, "SELECT count(*) FROM gateway_schema_version"));
        }
        finally
        {
            foreach (var replica in replicas)
            {
                await replica.DisposeAsync();
            }
        }
    }
}
