using System.Buffers;
using System.IO.Pipelines;
using System.Text.Encodings.Web;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Gateway.AspNetCore.Internal;

/// <summary>
/// Writes Server-Sent Events straight into the response's <see cref="PipeWriter"/>: one reused
/// <see cref="Utf8JsonWriter"/>, no intermediate strings; the caller decides when to flush.
/// </summary>
internal sealed class SseWriter : IDisposable
{
    private static readonly JsonWriterOptions JsonOptions = new()
    {
        // Event data is never HTML; relaxed escaping keeps non-ASCII text readable and short.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        SkipValidation = true,
    };

    private readonly PipeWriter _writer;
    private readonly Utf8JsonWriter _json;

    private SseWriter(PipeWriter writer)
    {
        _writer = writer;
        _json = new Utf8JsonWriter(writer, JsonOptions);
    }

    /// <summary>Sends the event-stream headers (no caching, no proxy buffering) and returns a writer for the body.</summary>
    public static SseWriter Start(HttpContext context)
    {
        var response = context.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = "text/event-stream; charset=utf-8";
        response.Headers.CacheControl = "no-cache";
        response.Headers["X-Accel-Buffering"] = "no";
        context.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
        return new SseWriter(response.BodyWriter);
    }

    /// <summary>Starts an event's <c>data:</c> line (after an <c>event:</c> line when <paramref name="eventName"/> is set) and returns the JSON writer for it.</summary>
    public Utf8JsonWriter BeginEvent(ReadOnlySpan<byte> eventName = default)
    {
        if (!eventName.IsEmpty)
        {
            _writer.Write("event: "u8);
            _writer.Write(eventName);
            _writer.Write("\n"u8);
        }

        _writer.Write("data: "u8);
        _json.Reset(_writer);
        return _json;
    }

    /// <summary>Ends the event begun by <see cref="BeginEvent"/>; it leaves with the next flush.</summary>
    public void EndEvent()
    {
        _json.Flush();
        _writer.Write("\n\n"u8);
    }

    /// <summary>Ends the event begun by <see cref="BeginEvent"/> and flushes it to the client.</summary>
    public ValueTask<FlushResult> EndEventAsync(CancellationToken cancellationToken)
    {
        EndEvent();
        return _writer.FlushAsync(cancellationToken);
    }

    /// <summary>Sends everything written so far.</summary>
    public ValueTask<FlushResult> FlushAsync(CancellationToken cancellationToken) => _writer.FlushAsync(cancellationToken);

    /// <summary>Writes pre-encoded bytes (a comment, <c>data: [DONE]</c>) as they are; they leave with the next flush.</summary>
    public void WriteRaw(ReadOnlySpan<byte> bytes) => _writer.Write(bytes);

    /// <summary>Writes pre-encoded bytes as they are and flushes them.</summary>
    public ValueTask<FlushResult> WriteRawAsync(ReadOnlySpan<byte> bytes, CancellationToken cancellationToken)
    {
        WriteRaw(bytes);
        return _writer.FlushAsync(cancellationToken);
    }

    public void Dispose() => _json.Dispose();
}
