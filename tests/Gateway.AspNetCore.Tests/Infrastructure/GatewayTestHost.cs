using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Gateway.AspNetCore.Tests.Infrastructure;

/// <summary>
/// A real gateway on Kestrel at http://127.0.0.1:&lt;free port&gt;, composed like samples/Gateway.Host and
/// configured with the same flat variables a user would set in the environment.
/// </summary>
public sealed class GatewayTestHost : IAsyncDisposable
{
    private readonly WebApplication _app;
    private int _disposed;

    private GatewayTestHost(WebApplication app, Uri baseAddress)
    {
        _app = app;
        BaseAddress = baseAddress;
        Client = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(30) };
    }

    public Uri BaseAddress { get; }

    /// <summary>A client without credentials; add them per request.</summary>
    public HttpClient Client { get; }

    public IServiceProvider Services => _app.Services;

    /// <param name="settings">Configuration, as flat environment-variable names.</param>
    /// <param name="configure">More capabilities on the gateway builder, e.g. <c>AddRedis()</c>.</param>
    /// <param name="useRateLimiter">Whether the pipeline has <c>app.UseRateLimiter()</c>, as every host should.</param>
    public static async Task<GatewayTestHost> StartAsync(
        IDictionary<string, string?> settings, Action<IGatewayBuilder>? configure = null, bool useRateLimiter = true)
    {
        var builder = WebApplication.CreateSlimBuilder();
        // Only the test's settings: no appsettings.json in the output folder, no MODEL_ROUTE_* of the developer's shell.
        builder.Configuration.Sources.Clear();
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.WebHost.UseKestrel().UseUrls("http://127.0.0.1:0");
        var gateway = builder.Services.AddGateway().AddHttpApi().AddOpenApi().AddProblemDetails();
        configure?.Invoke(gateway);

        var app = builder.Build();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        if (useRateLimiter)
        {
            app.UseRateLimiter();
        }

        app.MapGateway();
        app.MapGatewayOpenApi();
        await app.StartAsync();

        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        return new GatewayTestHost(app, new Uri(address.TrimEnd('/') + "/"));
    }

    /// <summary>Stops the host, as a shutdown would; a test may stop one before its fixture does.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        Client.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
