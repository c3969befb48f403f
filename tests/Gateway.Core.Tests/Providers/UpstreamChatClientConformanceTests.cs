using System.Text.Json;
using Gateway.AI.Conformance;
using Gateway.Core.Chat;
using Gateway.Core.Providers;
using Gateway.TestUpstream;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Core.Tests.Providers;

/// <summary>
/// The chat client conformance suite against a provider that calls a model server over HTTP: the test upstream on
/// loopback, speaking the provider's wire format, answering, streaming slowly or failing as each scenario asks.
/// </summary>
public abstract class UpstreamChatClientConformanceTests : ChatClientConformanceTests, IAsyncLifetime
{
    private readonly List<ServiceProvider> _containers = [];

    /// <summary>The test upstream the clients talk to.</summary>
    protected TestUpstreamServer Upstream { get; private set; } = null!;

    protected override string ModelId => "conformance-model";

    /// <summary>The route setting, <c>provider|base-url|model</c>, that points the provider at <see cref="Upstream"/>.</summary>
    protected abstract string RouteSetting { get; }

    /// <summary>The options in a request body of the provider's wire format.</summary>
    protected abstract SentChatOptions ReadSentOptions(JsonElement body);

    public async Task InitializeAsync() => Upstream = await TestUpstreamServer.StartAsync();

    public async Task DisposeAsync()
    {
        foreach (var container in _containers)
        {
            await container.DisposeAsync();
        }

        await Upstream.DisposeAsync();
    }

    protected override Task<IChatClient> CreateClientAsync(ChatScenario scenario)
    {
        Upstream.Behavior = scenario switch
        {
            ChatScenario.Answers => new UpstreamBehavior { Chunks = ["Hello", ", ", "wide", " ", "world", "!"] },
            ChatScenario.AnswersSlowly => new UpstreamBehavior { Chunks = [.. Enumerable.Repeat("token ", 400)], ChunkDelay = TimeSpan.FromMilliseconds(20) },
            _ => new UpstreamBehavior { FailWithStatus = 500 },
        };
        var services = GatewayServices.Build(("MODEL_ROUTE_MAIN", RouteSetting), ("UPSTREAM_MAX_RETRIES", "0"));
        _containers.Add(services);
        var route = services.GetRequiredService<ChatService>().Router.Resolve("main");
        return Task.FromResult(services.GetServices<IChatProvider>().Single(provider => provider.Name == ProviderName).CreateClient(route));
    }

    protected override SentChatOptions? ReadLastSentOptions()
    {
        using var body = JsonDocument.Parse(Upstream.Requests[^1].Body);
        return ReadSentOptions(body.RootElement);
    }

    /// <summary>The stop sequences of <paramref name="container"/>'s <c>stop</c> member, which both wire formats write as an array.</summary>
    protected static string[] ReadStop(JsonElement container) =>
        container.TryGetProperty("stop", out var stop) ? [.. stop.EnumerateArray().Select(item => item.GetString()!)] : [];

    /// <summary>A member of <paramref name="container"/>, when present.</summary>
    protected static JsonElement? Member(JsonElement container, string name) =>
        container.ValueKind == JsonValueKind.Object && container.TryGetProperty(name, out var value) ? value : null;
}
