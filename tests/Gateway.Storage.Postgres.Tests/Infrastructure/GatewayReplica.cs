using System.Net.Http.Json;
using System.Text.Json;
using Gateway.Host;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Gateway.Storage.Postgres.Tests.Infrastructure;

/// <summary>
/// One gateway replica on Kestrel at http://127.0.0.1:&lt;free port&gt;, composed as samples/Gateway.Host
/// composes itself (<c>AddDatabaseStorage</c> reads <c>GATEWAY_DB</c>), pointed at a database.
/// </summary>
internal sealed class GatewayReplica : IAsyncDisposable
{
    private readonly WebApplication _app;

    private GatewayReplica(WebApplication app, Uri baseAddress)
    {
        _app = app;
        Client = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(60) };
    }

    public HttpClient Client { get; }

    public IServiceProvider Services => _app.Services;

    /// <param name="database">The connection string of the database, as <c>GATEWAY_DB</c>.</param>
    /// <param name="settings">Further configuration, as flat environment-variable names (e.g. a model route).</param>
    public static Task<GatewayReplica> StartAsync(string database, params (string Key, string Value)[] settings) => StartAsync(database, null, settings);

    /// <param name="database">The connection string of the database, as <c>GATEWAY_DB</c>.</param>
    /// <param name="configure">More capabilities on the gateway builder (e.g. <c>AddRag()</c>).</param>
    /// <param name="settings">Further configuration, as flat environment-variable names.</param>
    public static async Task<GatewayReplica> StartAsync(string database, Action<IGatewayBuilder>? configure, params (string Key, string Value)[] settings)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Configuration.Sources.Clear();
        builder.Configuration.AddInMemoryCollection(
            settings.Select(s => new KeyValuePair<string, string?>(s.Key, s.Value)).Append(new("GATEWAY_DB", database)));
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.WebHost.UseKestrel().UseUrls("http://127.0.0.1:0");
        var gateway = builder.Services.AddGateway().AddHttpApi().AddProblemDetails().AddDatabaseStorage(builder.Configuration);
        configure?.Invoke(gateway);

        var app = builder.Build();
        app.UseExceptionHandler();
        app.MapGateway();
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        return new GatewayReplica(app, new Uri(address.TrimEnd('/') + "/"));
    }

    public async Task<JsonElement> PostAsync(string path, object body)
    {
        using var response = await Client.PostAsJsonAsync(path, body);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"POST {path}: {(int)response.StatusCode} {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    public async Task<JsonElement> GetAsync(string path)
    {
        using var response = await Client.GetAsync(path);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"GET {path}: {(int)response.StatusCode} {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
