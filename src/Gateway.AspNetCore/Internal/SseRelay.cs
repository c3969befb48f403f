using Gateway.AspNetCore.Configuration;
using Gateway.Core.Chat;
using Gateway.Core.Errors;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Gateway.AspNetCore.Internal;

/// <summary>
/// Relays a chat stream to the client as Server-Sent Events.
/// <list type="bullet">
/// <item>Nothing is sent before the upstream's first update, so an upstream that fails at once still
/// gets a plain problem response with its real status code — unless the wait outlasts the heartbeat
/// interval: then the stream starts with a <c>: heartbeat</c> comment and a later failure becomes an
/// error event.</item>
/// <item>While the upstream is silent, a <c>: heartbeat</c> comment goes out every
/// <c>SSE_HEARTBEAT_SECONDS</c>, so idle-timeout proxies and browsers keep the connection.</item>
/// <item>It flushes whenever the upstream has nothing more ready: a paced model's every delta leaves
/// the moment it arrives, while an already-buffered burst goes out in one write.</item>
/// </list>
/// </summary>
internal sealed partial class SseRelay
{
    private readonly HttpContext _context;
    private readonly IAsyncEnumerator<ChatResponseUpdate> _updates;
    private readonly TimeSpan _heartbeat;
    private readonly TimeProvider _time;
    private SseWriter? _sse;

    private SseRelay(HttpContext context, IAsyncEnumerator<ChatResponseUpdate> updates, TimeSpan heartbeat, TimeProvider time)
    {
        _context = context;
        _updates = updates;
        _heartbeat = heartbeat;
        _time = time;
    }

    private SseWriter Sse => _sse ??= SseWriter.Start(_context);

    /// <summary>Streams <paramref name="stream"/> to the client in <paramref name="dialect"/>; heartbeat interval and clock come from the request's services.</summary>
    public static async Task RunAsync(HttpContext context, IAsyncEnumerable<ChatResponseUpdate> stream, SseDialect dialect)
    {
        var services = context.RequestServices;
        var heartbeat = TimeSpan.FromSeconds(services.GetRequiredService<IOptions<GatewayHttpOptions>>().Value.SseHeartbeatSeconds);
        var updates = stream.GetAsyncEnumerator(context.RequestAborted);
        await using var updatesScope = updates.ConfigureAwait(false);
        var relay = new SseRelay(context, updates, heartbeat, services.GetRequiredService<TimeProvider>());
        try
        {
            await relay.PumpAsync(dialect).ConfigureAwait(false);
        }
        catch (GatewayException ex) when (relay._sse is not null && !context.RequestAborted.IsCancellationRequested)
        {
            LogStreamFailed(services.GetRequiredService<ILoggerFactory>().CreateLogger<SseRelay>(), ex.ErrorCode, ex.Message);
            await SseErrors.WriteAsync(context, relay._sse, ex, dialect).ConfigureAwait(false);
        }
        finally
        {
            relay._sse?.Dispose();
        }
    }

    private async Task PumpAsync(SseDialect dialect)
    {
        var summary = default(StreamSummary);
        var more = await NextAsync().ConfigureAwait(false);
        dialect.WriteStart(Sse);
        while (more)
        {
            var update = _updates.Current;
            summary.Observe(update);
            dialect.Observe(update);
            // An index loop: foreach over the IList would box an enumerator for every chunk.
            var contents = update.Contents;
            for (var i = 0; i < contents.Count; i++)
            {
                var content = contents[i];
                if (content is TextContent { Text.Length: > 0 } text)
                {
                    dialect.WriteDelta(Sse, text.Text, summary);
                }
                else if (content is FunctionCallContent { InformationalOnly: false } call)
                {
                    dialect.WriteToolCall(Sse, call, summary);
                }
                else if (content is FunctionCallFragmentContent fragment)
                {
                    dialect.WriteToolCallFragment(Sse, fragment, summary);
                }
            }

            more = await NextAsync().ConfigureAwait(false);
        }

        dialect.WriteEnd(Sse, summary);
        await Sse.FlushAsync(_context.RequestAborted).ConfigureAwait(false);
    }

    /// <summary>Advances the stream; only when the upstream has nothing ready does it flush and wait, with heartbeats.</summary>
    private ValueTask<bool> NextAsync()
    {
        var next = _updates.MoveNextAsync();
        return next.IsCompleted ? next : WaitAsync(next);
    }

    private async ValueTask<bool> WaitAsync(ValueTask<bool> next)
    {
        var aborted = _context.RequestAborted;
        if (_sse is not null)
        {
            await _sse.FlushAsync(aborted).ConfigureAwait(false);
        }

        if (_heartbeat <= TimeSpan.Zero)
        {
            return await next.ConfigureAwait(false);
        }

        // The wait itself is not cancelled: a client that leaves cancels the upstream call, which
        // ends the pending step, so the stream is never disposed while a step is still running.
        var pending = next.AsTask();
        while (true)
        {
            try
            {
                return await pending.WaitAsync(_heartbeat, _time).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                try
                {
                    await Sse.WriteRawAsync(": heartbeat\n\n"u8, aborted).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    // The client left: the pending step ends with the same cancellation; let it finish first.
                    return await pending.ConfigureAwait(false);
                }
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Stream ended early with {ErrorCode}, reported to the client as an error event: {Detail}")]
    private static partial void LogStreamFailed(ILogger logger, string errorCode, string detail);
}
