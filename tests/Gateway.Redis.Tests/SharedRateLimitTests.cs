using System.Net;
using System.Text.Json;
using Gateway.AspNetCore.Tests.Infrastructure;
using Gateway.Redis.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Redis.Tests;

/// <summary>Two gateway replicas on one real Redis, as a scaled-out deployment runs them.</summary>
[Collection(RedisCollection.Name)]
public sealed class SharedRateLimitTests(RedisServer redis) : IAsyncLifetime
{
    private readonly List<GatewayTestHost> _hosts = [];

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var host in _hosts)
        {
            await host.DisposeAsync();
        }
    }

    private async Task<GatewayTestHost> StartReplicaAsync(string apiKeys, int limit, string? redisUrl = null)
    {
        var host = await GatewayTestHost.StartAsync(
            new Dictionary<string, string?>
            {
                ["GATEWAY_API_KEYS"] = apiKeys,
                ["RATE_LIMIT_PER_MIN"] = limit.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["USE_REDIS"] = "true",
                ["REDIS_URL"] = redisUrl ?? redis.Url,
            },
            gateway => gateway.AddRedis());
        _hosts.Add(host);
        return host;
    }

    private static async Task<HttpResponseMessage> GetModelsAsync(GatewayTestHost host, string key)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "api/models");
        request.Headers.TryAddWithoutValidation("X-API-Key", key);
        return await host.Client.SendAsync(request);
    }

    [Fact]
    public async Task TwoReplicas_SameKey_TogetherAdmitExactlyTheLimit()
    {
        await RateWindow.EnsureRoomAsync(TimeSpan.FromSeconds(15));
        var key = "key-" + Guid.NewGuid().ToString("N");
        var replicas = new[] { await StartReplicaAsync(key, limit: 5), await StartReplicaAsync(key, limit: 5) };

        var responses = new List<HttpResponseMessage>();
        for (var i = 0; i < 12; i++)
        {
            responses.Add(await GetModelsAsync(replicas[i % 2], key));
        }

        Assert.Equal(5, responses.Count(r => r.StatusCode == HttpStatusCode.OK));
        var refused = responses.Where(r => r.StatusCode == HttpStatusCode.TooManyRequests).ToList();
        Assert.Equal(7, refused.Count);
        Assert.Contains(refused, r => r.RequestMessage!.RequestUri!.Port == replicas[0].BaseAddress.Port);
        Assert.Contains(refused, r => r.RequestMessage!.RequestUri!.Port == replicas[1].BaseAddress.Port);
        foreach (var response in refused)
        {
            Assert.NotNull(response.Headers.RetryAfter?.Delta);
            var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
            Assert.Equal("rate_limited", problem.GetProperty("errorCode").GetString());
            Assert.Equal(5, problem.GetProperty("limit").GetInt32());
        }

        responses.ForEach(r => r.Dispose());
    }

    [Fact]
    public async Task TwoReplicas_DifferentKeys_HaveSeparateBudgets()
    {
        await RateWindow.EnsureRoomAsync(TimeSpan.FromSeconds(15));
        var first = "key-" + Guid.NewGuid().ToString("N");
        var second = "key-" + Guid.NewGuid().ToString("N");
        var keys = $"{first},{second}";
        var replicaA = await StartReplicaAsync(keys, limit: 1);
        var replicaB = await StartReplicaAsync(keys, limit: 1);

        using var firstOnA = await GetModelsAsync(replicaA, first);
        using var secondOnB = await GetModelsAsync(replicaB, second);
        using var firstOnB = await GetModelsAsync(replicaB, first);

        Assert.Equal(HttpStatusCode.OK, firstOnA.StatusCode);
        Assert.Equal(HttpStatusCode.OK, secondOnB.StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, firstOnB.StatusCode);
    }

    [Fact]
    public async Task RedisUnreachable_RequestsAreServedAndTheFailureIsCounted()
    {
        var key = "key-" + Guid.NewGuid().ToString("N");
        var replica = await StartReplicaAsync(key, limit: 1, redisUrl: "redis://127.0.0.1:1");

        using var first = await GetModelsAsync(replica, key);
        using var second = await GetModelsAsync(replica, key);
        using var metrics = await replica.Client.GetAsync("metrics");
        var scrape = await metrics.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.Contains("gateway_rate_limiter_errors_total{backend=\"redis\"} 2", scrape);
    }
}
