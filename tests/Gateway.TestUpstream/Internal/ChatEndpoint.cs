using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Gateway.TestUpstream.Internal;

/// <summary>
/// One chat endpoint of the fake: records the request, applies the injected delays and failures of the
/// current behaviour, and answers in the endpoint's wire format.
/// </summary>
internal sealed class ChatEndpoint(IChatWireFormat format, UpstreamState state, TimeProvider time)
{
    public async Task HandleAsync(HttpContext context)
    {
        var cancellationToken = context.RequestAborted;
        var active = state.ActiveBehavior;
        var behavior = active.Behavior;
        var startedAt = time.GetTimestamp();
        var streaming = false;
        try
        {
            if (await ReadRequestAsync(context.Request, cancellationToken) is not { } request)
            {
                await WriteErrorAsync(
                    context.Response,
                    StatusCodes.Status400BadRequest,
                    "The body must be a JSON object with a \"model\" string.",
                    retryAfterSeconds: null,
                    cancellationToken);
                return;
            }

            streaming = request.Stream;
            if (behavior.FirstByteDelay > TimeSpan.Zero)
            {
                await Task.Delay(behavior.FirstByteDelay, time, cancellationToken);
            }

            if (active.TryTakeFailure())
            {
                await WriteErrorAsync(
                    context.Response, behavior.FailWithStatus, behavior.FailureMessage, behavior.RetryAfterSeconds, cancellationToken);
                return;
            }

            var answer = ChatAnswer.Plan(request, active, time.GetUtcNow());
            if (streaming)
            {
                await StreamAsync(context, answer, behavior, startedAt, cancellationToken);
            }
            else
            {
                await AnswerAsync(context, answer, behavior, startedAt, cancellationToken);
            }
        }
        catch (Exception exception) when (exception is OperationCanceledException or IOException)
        {
            // The client went away, which is a scenario under test rather than a server fault.
            if (streaming)
            {
                state.RecordCancelledStream();
            }
        }
    }

    private async Task<ChatRequest?> ReadRequestAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var reader = request.BodyReader;
        var result = await reader.ReadAsync(cancellationToken);
        while (!result.IsCompleted)
        {
            reader.AdvanceTo(result.Buffer.Start, result.Buffer.End);
            result = await reader.ReadAsync(cancellationToken);
        }

        var body = result.Buffer;
        state.Record(new RecordedRequest(request.Path, request.Headers.Authorization, Encoding.UTF8.GetString(body)));
        var chatRequest = ParseRequest(body);
        reader.AdvanceTo(body.End);
        return chatRequest;
    }

    private ChatRequest? ParseRequest(ReadOnlySequence<byte> body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            var root = document.RootElement;
            return root.ValueKind == JsonValueKind.Object
                && root.TryGetProperty("model"u8, out var model)
                && model.ValueKind == JsonValueKind.String
                    ? format.ReadRequest(model.GetString()!, root)
                    : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    // Long enough for a gateway on a loaded 2-core machine to have read what was flushed: 50 ms was
    // overtaken once in a full test run, and the gateway then saw the break before any byte (a 502).
    private static readonly TimeSpan BreakGrace = TimeSpan.FromMilliseconds(500);

    private async Task AnswerAsync(
        HttpContext context, ChatAnswer answer, UpstreamBehavior behavior, long startedAt, CancellationToken cancellationToken)
    {
        var response = context.Response;
        if (answer.BreakAfterChunks is not null)
        {
            if (behavior.ErrorEventAfterChunks)
            {
                await WriteErrorAsync(
                    response, StatusCodes.Status500InternalServerError, behavior.FailureMessage, retryAfterSeconds: null, cancellationToken);
            }
            else
            {
                context.Abort();
            }

            return;
        }

        response.ContentType = "application/json";
        using var json = new Utf8JsonWriter(response.BodyWriter, WireJson.WriterOptions);
        format.WriteCompletion(json, answer, time.GetElapsedTime(startedAt));
        json.Flush();
        await response.BodyWriter.FlushAsync(cancellationToken);
    }

    private async Task StreamAsync(
        HttpContext context, ChatAnswer answer, UpstreamBehavior behavior, long startedAt, CancellationToken cancellationToken)
    {
        var response = context.Response;
        response.ContentType = format.StreamContentType;
        var output = response.BodyWriter;

        // Headers go out at once, as real servers send them, so a stream broken before its first
        // chunk still reads as a started stream.
        await output.FlushAsync(cancellationToken);

        using var json = new Utf8JsonWriter(output, WireJson.WriterOptions);
        var chunksToSend = answer.BreakAfterChunks ?? answer.StreamLength;
        for (var index = 0; index < chunksToSend; index++)
        {
            if (index > 0 && behavior.ChunkDelay > TimeSpan.Zero)
            {
                await Task.Delay(behavior.ChunkDelay, time, cancellationToken);
            }

            if (answer.ToolCalls.Count > 0)
            {
                format.WriteToolCallChunk(json, output, answer, answer.ToolCallSteps.Span[index]);
            }
            else
            {
                format.WriteChunk(json, output, answer, index);
            }

            await output.FlushAsync(cancellationToken);
        }

        if (answer.BreakAfterChunks is null)
        {
            // The closing events are ready at the same instant, so they share one flush.
            format.WriteStreamEnd(json, output, answer, time.GetElapsedTime(startedAt));
        }
        else if (behavior.ErrorEventAfterChunks)
        {
            format.WriteStreamError(json, output, behavior.FailureMessage);
        }
        else if (behavior.CloseAfterChunks)
        {
            return;
        }
        else
        {
            // A reset that follows a flush at once can overtake the data on loopback (the receiver
            // discards unread bytes on RST); a crashing server is never that quick.
            await Task.Delay(BreakGrace, time, cancellationToken);
            context.Abort();
            return;
        }

        await output.FlushAsync(cancellationToken);
    }

    private async Task WriteErrorAsync(
        HttpResponse response, int status, string message, int? retryAfterSeconds, CancellationToken cancellationToken)
    {
        response.StatusCode = status;
        if (retryAfterSeconds is { } seconds)
        {
            response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        }

        response.ContentType = "application/json";
        using var json = new Utf8JsonWriter(response.BodyWriter, WireJson.WriterOptions);
        format.WriteError(json, status, message);
        json.Flush();
        await response.BodyWriter.FlushAsync(cancellationToken);
    }
}
