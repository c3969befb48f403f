using System.Collections.Concurrent;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Gateway.AspNetCore.Tests.Host;

/// <summary>
/// An OTLP/HTTP collector stand-in on a free loopback port: accepts <c>POST /v1/traces</c> and <c>/v1/metrics</c>
/// (protobuf), keeps each body, and answers 200 with an empty export response.
/// </summary>
internal sealed class OtlpReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<(string Path, byte[] Body)> _exports = new();

    private OtlpReceiver(WebApplication app) => _app = app;

    /// <summary>The address to give as <c>OTEL_EXPORTER_OTLP_ENDPOINT</c>.</summary>
    public Uri Endpoint => new(_app.Urls.Single());

    public static async Task<OtlpReceiver> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Configuration.Sources.Clear();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        var app = builder.Build();
        app.Urls.Add("http://127.0.0.1:0");
        var receiver = new OtlpReceiver(app);
        app.MapPost("/v1/{signal}", async (string signal, HttpRequest request) =>
        {
            using var body = new MemoryStream();
            await request.Body.CopyToAsync(body);
            receiver._exports.Enqueue(($"/v1/{signal}", body.ToArray()));
            return Results.Bytes([], "application/x-protobuf");
        });
        await app.StartAsync();
        return receiver;
    }

    /// <summary>
    /// Waits until an export to <paramref name="path"/> holds every one of <paramref name="texts"/> (protobuf keeps
    /// strings as UTF-8, so names and attribute values can be found in the bytes).
    /// </summary>
    /// <returns>Whether such an export arrived within <paramref name="timeout"/>.</returns>
    public async Task<bool> WaitForExportAsync(string path, TimeSpan timeout, params string[] texts)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (_exports.Any(export => export.Path == path && texts.All(text => Contains(export.Body, text))))
            {
                return true;
            }

            await Task.Delay(100);
        }

        return false;
    }

    /// <summary>The paths exports arrived on so far, for a failure message.</summary>
    public IReadOnlyList<string> Paths => [.. _exports.Select(export => export.Path)];

    public ValueTask DisposeAsync() => _app.DisposeAsync();

    private static bool Contains(byte[] body, string text) => body.AsSpan().IndexOf(Encoding.UTF8.GetBytes(text)) >= 0;
}
