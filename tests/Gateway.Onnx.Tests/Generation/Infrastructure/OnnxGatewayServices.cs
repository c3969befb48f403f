using Gateway.Core.Providers;
using Gateway.Core.Routing;
using Gateway.Onnx.Generation;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Gateway.Onnx.Tests.Generation.Infrastructure;

/// <summary>
/// A gateway container (no HTTP) composed as an application would: <c>AddGateway().AddOnnxGeneration()</c>
/// with flat environment-style settings. Disposing it unloads the models, as the host does at shutdown.
/// </summary>
public sealed class OnnxGatewayServices : IAsyncDisposable
{
    private readonly ServiceProvider _services;

    private OnnxGatewayServices(ServiceProvider services, CapturedLogs logs)
    {
        _services = services;
        Logs = logs;
    }

    public CapturedLogs Logs { get; }

    public OnnxGenerationModels Models => _services.GetRequiredService<OnnxGenerationModels>();

    public IServiceProvider Services => _services;

    /// <param name="routes">Route key → model folder; each becomes <c>MODEL_ROUTE_KEY=onnx|folder|key-model</c>.</param>
    /// <param name="settings">More flat settings, e.g. <c>ONNX_EXECUTION_PROVIDER</c>.</param>
    public static OnnxGatewayServices Create(IReadOnlyDictionary<string, string> routes, IDictionary<string, string?>? settings = null)
    {
        var all = new Dictionary<string, string?>(settings ?? new Dictionary<string, string?>());
        foreach (var (key, folder) in routes)
        {
            all[$"MODEL_ROUTE_{key.ToUpperInvariant()}"] = $"onnx|{folder}|{key}-model";
        }

        var logs = new CapturedLogs();
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(all).Build());
        services.AddLogging(logging => logging.SetMinimumLevel(LogLevel.Debug).AddProvider(logs));
        services.AddGateway().AddOnnxGeneration();
        return new OnnxGatewayServices(services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true }), logs);
    }

    public static OnnxGatewayServices Create(string folder, IDictionary<string, string?>? settings = null) =>
        Create(new Dictionary<string, string> { ["tiny"] = folder }, settings);

    public ModelRoute Route(string key = "tiny") =>
        _services.GetRequiredService<RouteTable>().TryGet(RouteKey.TryParse(key, out var parsed) ? parsed : throw new ArgumentException(key), out var route)
            ? route
            : throw new KeyNotFoundException(key);

    /// <summary>A new client of the <c>onnx</c> provider for the route, without the gateway's middleware.</summary>
    public IChatClient CreateClient(string key = "tiny") =>
        _services.GetServices<IChatProvider>().Single(provider => provider.Name == "onnx").CreateClient(Route(key));

    public ValueTask DisposeAsync() => _services.DisposeAsync();
}
