using System.Buffers;
using System.Diagnostics;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Gateway.Benchmarks.Infrastructure;

/// <summary>
/// A paced OpenAI-compatible upstream for the concurrency benchmark: every stream sends its chunks on a
/// fixed schedule (chunk <c>i</c> due at start + <c>i</c> × interval, so a late timer never accumulates
/// drift), and each chunk's content is the <see cref="ChunkStamp"/> of the moment it was written. A
/// client that reads the stamps knows how long each chunk took from the upstream's socket to its own,
/// whatever path it took; the upstream's own timer lateness is not counted.
/// </summary>
public sealed class StampedUpstream : IAsyncDisposable
{
    private const string ChunkHeader = "{\"id\":\"chatcmpl-bench\",\"object\":\"chat.completion.chunk\",\"created\":0,\"model\":\"bench-model\",\"choices\":[{\"index\":0,";

    private static readonly byte[] ChunkStart = Encoding.UTF8.GetBytes("data: " + ChunkHeader + "\"delta\":{\"content\":\"");

    private static readonly byte[] ChunkEnd = "\"},\"finish_reason\":null}]}\n\n"u8.ToArray();

    private static readonly byte[] StreamEnd = Encoding.UTF8.GetBytes(
        "data: " + ChunkHeader + "\"delta\":{},\"finish_reason\":\"stop\"}]}\n\ndata: [DONE]\n\n");

    private readonly WebApplication _app;

    private StampedUpstream(WebApplication app, Uri baseAddress)
    {
        _app = app;
        BaseAddress = baseAddress;
    }

    public Uri BaseAddress { get; }

    /// <summary>How many chunks each stream sends.</summary>
    public int Chunks { get; set; } = 100;

    /// <summary>The time between two chunks of one stream.</summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromMilliseconds(20);

    public static async Task<StampedUpstream> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.WebHost.UseKestrel().UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        StampedUpstream? upstream = null;
        app.MapPost("/{**path}", (HttpContext context) => upstream!.StreamAsync(context));
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        upstream = new StampedUpstream(app, new Uri(address.TrimEnd('/') + "/"));
        return upstream;
    }

    private async Task StreamAsync(HttpContext context)
    {
        var cancellationToken = context.RequestAborted;
        var (chunks, interval) = (Chunks, Interval);
        await context.Request.Body.CopyToAsync(Stream.Null, cancellationToken);
        context.Response.ContentType = "text/event-stream";
        var output = context.Response.BodyWriter;
        await output.FlushAsync(cancellationToken);

        var start = Stopwatch.GetTimestamp();
        var intervalTicks = (long)(interval.TotalSeconds * Stopwatch.Frequency);
        try
        {
            for (var i = 0; i < chunks; i++)
            {
                var wait = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), start + (i * intervalTicks));
                if (wait > TimeSpan.Zero)
                {
                    await Task.Delay(wait, cancellationToken);
                }

                output.Write(ChunkStart);
                var span = output.GetSpan(24);
                output.Advance(ChunkStamp.Write(span, Stopwatch.GetTimestamp()));
                output.Write(ChunkEnd);
                await output.FlushAsync(cancellationToken);
            }

            output.Write(StreamEnd);
            await output.FlushAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            // The client went away.
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
