using Gateway.TestUpstream;

namespace Gateway.AspNetCore.Tests.Infrastructure;

/// <summary>Starts a test upstream and lets each test start gateways pointed at it.</summary>
public abstract class GatewayFixture : IAsyncLifetime
{
    private readonly List<GatewayTestHost> _hosts = [];

    protected TestUpstreamServer Upstream { get; private set; } = null!;

    public async Task InitializeAsync() => Upstream = await TestUpstreamServer.StartAsync();

    public async Task DisposeAsync()
    {
        foreach (var host in _hosts)
        {
            await host.DisposeAsync();
        }

        await Upstream.DisposeAsync();
    }

    /// <summary>Starts a gateway with the given settings (flat environment-variable names).</summary>
    protected async Task<GatewayTestHost> StartGatewayAsync(params (string Key, string Value)[] settings)
    {
        var host = await GatewayTestHost.StartAsync(settings.ToDictionary(s => s.Key, s => (string?)s.Value));
        _hosts.Add(host);
        return host;
    }

    protected string OpenAIRoute(string model = "test-model") => $"openai|{Upstream.OpenAIBaseAddress}|{model}";

    protected string OllamaRoute(string model = "test-model") => $"ollama|{Upstream.BaseAddress}|{model}";

    protected static StringContent Json(string json) => new(json, System.Text.Encoding.UTF8, "application/json");

    protected const string HelloMessages = """{"messages":[{"role":"user","content":"Hi"}]}""";
}
