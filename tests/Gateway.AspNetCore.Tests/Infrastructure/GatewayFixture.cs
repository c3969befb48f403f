using Gateway.TestUpstream;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.AspNetCore.Tests.Infrastructure;

/// <summary>Starts a test upstream and lets each test start gateways pointed at it.</summary>
public abstract class GatewayFixture : IAsyncLifetime
{
    private readonly List<GatewayTestHost> _hosts = [];
    private readonly List<string> _folders = [];

    protected TestUpstreamServer Upstream { get; private set; } = null!;

    public async Task InitializeAsync() => Upstream = await TestUpstreamServer.StartAsync();

    public async Task DisposeAsync()
    {
        foreach (var host in _hosts)
        {
            await host.DisposeAsync();
        }

        await Upstream.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        foreach (var folder in _folders)
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>Starts a gateway with the given settings (flat environment-variable names).</summary>
    protected Task<GatewayTestHost> StartGatewayAsync(params (string Key, string Value)[] settings) => StartGatewayAsync(null, settings);

    /// <summary>Starts a gateway with the given settings and more on its builder (e.g. a fake clock).</summary>
    protected async Task<GatewayTestHost> StartGatewayAsync(Action<IGatewayBuilder>? configure, params (string Key, string Value)[] settings)
    {
        var host = await GatewayTestHost.StartAsync(settings.ToDictionary(s => s.Key, s => (string?)s.Value), configure);
        _hosts.Add(host);
        return host;
    }

    /// <summary>
    /// Starts a gateway with SQLite conversation storage in a fresh database file (migrated at start-up),
    /// routed to the test upstream's OpenAI endpoint as <c>main</c> unless the settings say otherwise.
    /// </summary>
    protected Task<GatewayTestHost> StartGatewayWithStorageAsync(params (string Key, string Value)[] settings) =>
        StartGatewayWithStorageAsync(configure: null, settings);

    /// <summary>Like <see cref="StartGatewayWithStorageAsync(ValueTuple{string, string}[])"/> with more capabilities on the gateway builder.</summary>
    protected async Task<GatewayTestHost> StartGatewayWithStorageAsync(Action<IGatewayBuilder>? configure, params (string Key, string Value)[] settings)
    {
        var folder = Directory.CreateTempSubdirectory("gateway-http-store-").FullName;
        _folders.Add(folder);
        var all = new Dictionary<string, string?>
        {
            ["GATEWAY_DB"] = Path.Combine(folder, "gateway.db"),
            ["MODEL_ROUTE_MAIN"] = OpenAIRoute(),
        };
        foreach (var (key, value) in settings)
        {
            all[key] = value;
        }

        var host = await GatewayTestHost.StartAsync(all, gateway =>
        {
            gateway.AddSqliteStorage();
            configure?.Invoke(gateway);
        });
        _hosts.Add(host);
        return host;
    }

    protected string OpenAIRoute(string model = "test-model") => $"openai|{Upstream.OpenAIBaseAddress}|{model}";

    protected string OllamaRoute(string model = "test-model") => $"ollama|{Upstream.BaseAddress}|{model}";

    protected static StringContent Json(string json) => new(json, System.Text.Encoding.UTF8, "application/json");

    protected const string HelloMessages = """{"messages":[{"role":"user","content":"Hi"}]}""";
}
