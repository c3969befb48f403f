using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Gateway.Benchmarks.Infrastructure;

/// <summary>
/// The baseline the gateway is judged against: the cheapest honest relay, which forwards the request
/// body to the upstream and copies the answer back byte for byte (HttpClient with
/// ResponseHeadersRead, one flush per read), understanding nothing of what it carries.
/// </summary>
public sealed class PassThroughRelay : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly HttpClient _upstream;

    private PassThroughRelay(WebApplication app, HttpClient upstream, Uri baseAddress)
    {
        _app = app;
        _upstream = upstream;
        BaseAddress = baseAddress;
    }

    public Uri BaseAddress { get; }

    public static async Task<PassThroughRelay> StartAsync(Uri upstreamBase)
    {
        var upstream = new HttpClient(new SocketsHttpHandler()) { BaseAddress = upstreamBase, Timeout = Timeout.InfiniteTimeSpan };
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.WebHost.UseKestrel().UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        app.MapPost("/{**path}", (HttpContext context, string path) => RelayAsync(context, upstream, path));
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        return new PassThroughRelay(app, upstream, new Uri(address.TrimEnd('/') + "/"));
    }

    private static async Task RelayAsync(HttpContext context, HttpClient upstream, string path)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StreamContent(context.Request.Body) };
        request.Content.Headers.ContentType = new("application/json");
        using var response = await upstream.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, context.RequestAborted);
        context.Response.StatusCode = (int)response.StatusCode;
        context.Response.ContentType = response.Content.Headers.ContentType?.ToString();
        await using var body = await response.Content.ReadAsStreamAsync(context.RequestAborted);
        var buffer = new byte[16 * 1024];
        int read;
        while ((read = await body.ReadAsync(buffer, context.RequestAborted)) > 0)
        {
            await context.Response.Body.WriteAsync(buffer.AsMemory(0, read), context.RequestAborted);
            await context.Response.Body.FlushAsync(context.RequestAborted);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        _upstream.Dispose();
    }
}
