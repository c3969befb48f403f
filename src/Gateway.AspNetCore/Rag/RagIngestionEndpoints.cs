using System.Text;
using System.Text.Json;
using Gateway.AspNetCore.Configuration;
using Gateway.AspNetCore.Internal;
using Gateway.Core.Errors;
using Gateway.Rag;
using Gateway.Rag.Ingestion;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace Gateway.AspNetCore.Rag;

/// <summary>
/// Ingestion over HTTP: <c>POST /api/rag/collections/{id}/documents</c> takes files (multipart, any field; a
/// <c>metadata</c> field of JSON for all of them), a text or a sandbox path (JSON) and answers 202 with the
/// ingestion's id, or with <c>?wait=true</c> 200 with its final status; <c>/api/rag/ingestions/{id}</c> reads the
/// status, <c>…/events</c> streams it as Server-Sent Events, <c>…/cancel</c> stops it. Thin handlers over
/// <see cref="RagIngestions"/>; the status comes from the job store, so any replica answers for any ingestion.
/// </summary>
internal static class RagIngestionEndpoints
{
    /// <summary>How often the event stream reads the status and sends it.</summary>
    private static readonly TimeSpan EventInterval = TimeSpan.FromMilliseconds(500);

    private static readonly byte[] ProgressEvent = "progress"u8.ToArray();

    /// <summary>The most characters of the multipart <c>metadata</c> field.</summary>
    private const int MaxMetadataCharacters = 1 << 20;

    public static void Map(IEndpointRouteBuilder api)
    {
        api.MapPost("/api/rag/collections/{collectionId}/documents", IngestAsync).WithName("IngestRagDocuments").WithTags("RAG")
            // The JSON forms' schema; multipart bodies are read by hand, so no binding takes the content type first.
            .WithMetadata(new AcceptsMetadata([], typeof(IngestDocumentsBody)))
            .ProducesGatewayError(
                StatusCodes.Status400BadRequest, GatewayErrorCodes.InvalidRequest, GatewayErrorCodes.MalformedRequest, GatewayErrorCodes.UnsupportedMediaType,
                GatewayErrorCodes.InvalidPath, GatewayErrorCodes.NotAFile, GatewayErrorCodes.NotAFolder)
            .ProducesGatewayError(StatusCodes.Status403Forbidden, GatewayErrorCodes.SandboxPathDenied)
            .ProducesGatewayError(StatusCodes.Status404NotFound, GatewayErrorCodes.CollectionNotFound, GatewayErrorCodes.SandboxRootNotFound, GatewayErrorCodes.FileNotFound)
            .ProducesGatewayError(StatusCodes.Status413PayloadTooLarge, GatewayErrorCodes.PayloadTooLarge);

        var ingestions = api.MapGroup("/api/rag/ingestions").WithTags("RAG");
        ingestions.MapGet("/{ingestionId}", GetAsync).WithName("GetRagIngestion")
            .ProducesGatewayError(StatusCodes.Status404NotFound, GatewayErrorCodes.IngestionNotFound);
        ingestions.MapGet("/{ingestionId}/events", StreamEventsAsync).WithName("StreamRagIngestionEvents")
            .Produces(StatusCodes.Status200OK, contentType: "text/event-stream")
            .ProducesGatewayError(StatusCodes.Status404NotFound, GatewayErrorCodes.IngestionNotFound);
        ingestions.MapPost("/{ingestionId}/cancel", CancelAsync).WithName("CancelRagIngestion")
            .ProducesGatewayError(StatusCodes.Status404NotFound, GatewayErrorCodes.IngestionNotFound)
            .ProducesGatewayError(StatusCodes.Status409Conflict, GatewayErrorCodes.JobStateConflict);
    }

    private static async Task<Results<Accepted<IngestionStartedBody>, Ok<IngestionStatusBody>>> IngestAsync(
        string collectionId,
        [AsParameters] IngestParameters query,
        HttpContext context,
        [FromServices] RagService rag,
        [FromServices] RagIngestions ingestions,
        [FromServices] IOptions<RagOptions> ragOptions,
        [FromServices] IOptions<GatewayHttpOptions> httpOptions)
    {
        var cancellationToken = context.RequestAborted;
        _ = await rag.GetCollectionAsync(collectionId, cancellationToken).ConfigureAwait(false);
        var request = await ReadRequestAsync(context, ragOptions.Value.MaxDocumentBytes, httpOptions.Value.MaxRequestBodyBytes).ConfigureAwait(false);
        var job = await ingestions.StartAsync(collectionId, request, cancellationToken).ConfigureAwait(false);
        if (query.Wait == true)
        {
            return TypedResults.Ok(IngestionStatusBody.From(await ingestions.WaitAsync(job.Id, cancellationToken).ConfigureAwait(false)));
        }

        return TypedResults.Accepted($"/api/rag/ingestions/{job.Id}", new IngestionStartedBody(job.Id));
    }

    private static async Task<Ok<IngestionStatusBody>> GetAsync(string ingestionId, [FromServices] RagIngestions ingestions, CancellationToken cancellationToken) =>
        TypedResults.Ok(IngestionStatusBody.From(await ingestions.GetAsync(ingestionId, cancellationToken).ConfigureAwait(false)));

    private static async Task<Ok<IngestionStatusBody>> CancelAsync(string ingestionId, [FromServices] RagIngestions ingestions, CancellationToken cancellationToken) =>
        TypedResults.Ok(IngestionStatusBody.From(await ingestions.CancelAsync(ingestionId, cancellationToken).ConfigureAwait(false)));

    /// <summary>
    /// A <c>progress</c> event with the status every <see cref="EventInterval"/> while the ingestion waits or runs (the
    /// latest again when nothing changed), then one <c>completed</c>, <c>failed</c> or <c>cancelled</c> event, and the end.
    /// </summary>
    private static async Task StreamEventsAsync(string ingestionId, HttpContext context, [FromServices] RagIngestions ingestions, [FromServices] TimeProvider time)
    {
        var cancellationToken = context.RequestAborted;
        var status = await ingestions.GetAsync(ingestionId, cancellationToken).ConfigureAwait(false);
        using var sse = SseWriter.Start(context);
        using var timer = new PeriodicTimer(EventInterval, time);
        try
        {
            while (!status.IsFinished)
            {
                await WriteEventAsync(sse, ProgressEvent, status, cancellationToken).ConfigureAwait(false);
                await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false);
                status = await ingestions.GetAsync(ingestionId, cancellationToken).ConfigureAwait(false);
            }

            await WriteEventAsync(sse, Encoding.UTF8.GetBytes(status.State), status, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The client left; the ingestion goes on.
        }
    }

    private static async Task WriteEventAsync(SseWriter sse, byte[] name, IngestionStatus status, CancellationToken cancellationToken)
    {
        JsonSerializer.Serialize(sse.BeginEvent(name), IngestionStatusBody.From(status), GatewayJsonContext.Default.IngestionStatusBody);
        await sse.EndEventAsync(cancellationToken).ConfigureAwait(false);
    }

    private static async Task<IngestionRequest> ReadRequestAsync(HttpContext context, long maxDocumentBytes, long maxJsonBytes)
    {
        var request = context.Request;
        if (MediaTypeHeaderValue.TryParse(request.ContentType, out var type) && type.MediaType.Equals("multipart/form-data", StringComparison.OrdinalIgnoreCase))
        {
            return await ReadUploadsAsync(context, type, maxDocumentBytes).ConfigureAwait(false);
        }

        if (!request.HasJsonContentType())
        {
            throw new GatewayException(
                GatewayErrorKind.InvalidRequest,
                GatewayErrorCodes.UnsupportedMediaType,
                "Send files as multipart/form-data (field 'files'), or JSON: {\"name\", \"text\"} for a text, {\"root\", \"path\"} for files of the sandbox.");
        }

        if (request.ContentLength > maxJsonBytes)
        {
            throw RequestBindingProblems.TooLarge(maxJsonBytes);
        }

        LimitBody(context, maxJsonBytes);
        IngestDocumentsBody? body;
        try
        {
            body = await request.ReadFromJsonAsync(GatewayJsonContext.Default.IngestDocumentsBody, context.RequestAborted).ConfigureAwait(false);
        }
        catch (JsonException error)
        {
            throw Malformed($"The request body is not valid JSON of the expected shape at {error.Path ?? "$"}.");
        }

        return (body ?? throw Malformed("The request body is empty: expected {\"name\", \"text\"} or {\"root\", \"path\"}.")).ToRequest();
    }

    /// <summary>Every file of the multipart body, whatever its field, each read up to <paramref name="maxDocumentBytes"/>; the <c>metadata</c> field applies to all.</summary>
    private static async Task<IngestionRequest> ReadUploadsAsync(HttpContext context, MediaTypeHeaderValue type, long maxDocumentBytes)
    {
        var boundary = HeaderUtilities.RemoveQuotes(type.Boundary).Value;
        if (string.IsNullOrEmpty(boundary))
        {
            throw Malformed("The multipart body has no boundary in its Content-Type.");
        }

        // Each file is limited on its own as it is read, so the body as a whole is not.
        LimitBody(context, null);
        var reader = new MultipartReader(boundary, context.Request.Body);
        var uploads = new List<IngestionUpload>();
        JsonElement? metadata = null;
        try
        {
            while (await reader.ReadNextSectionAsync(context.RequestAborted).ConfigureAwait(false) is { } section)
            {
                if (!ContentDispositionHeaderValue.TryParse(section.ContentDisposition, out var disposition))
                {
                    continue;
                }

                var fileName = HeaderUtilities.RemoveQuotes(disposition.FileNameStar.HasValue ? disposition.FileNameStar : disposition.FileName).Value;
                if (!string.IsNullOrEmpty(fileName))
                {
                    uploads.Add(new IngestionUpload(fileName, await ReadFileAsync(section.Body, fileName, maxDocumentBytes, context.RequestAborted).ConfigureAwait(false)));
                }
                else if (HeaderUtilities.RemoveQuotes(disposition.Name).Equals("metadata", StringComparison.Ordinal))
                {
                    metadata = await ReadMetadataAsync(section, context.RequestAborted).ConfigureAwait(false);
                }
            }
        }
        catch (InvalidDataException error)
        {
            throw Malformed($"The multipart body cannot be read: {error.Message}");
        }

        if (uploads.Count == 0)
        {
            throw GatewayException.InvalidField("files", "expected at least one file in the multipart body (field 'files').");
        }

        return new IngestionRequest { Uploads = [.. uploads.Select(upload => upload with { Metadata = metadata })] };
    }

    private static async Task<ReadOnlyMemory<byte>> ReadFileAsync(Stream body, string name, long maxBytes, CancellationToken cancellationToken)
    {
        using var copy = new MemoryStream();
        var buffer = new byte[81920];
        int read;
        while ((read = await body.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
        {
            if (copy.Length + read > maxBytes)
            {
                throw new GatewayException(
                    GatewayErrorKind.PayloadTooLarge,
                    GatewayErrorCodes.PayloadTooLarge,
                    $"{name}: the file is larger than the limit of {maxBytes} bytes (RAG_MAX_DOCUMENT_BYTES); nothing was ingested.",
                    new Dictionary<string, object?> { ["document"] = name, ["limit"] = maxBytes });
            }

            copy.Write(buffer, 0, read);
        }

        return copy.GetBuffer().AsMemory(0, (int)copy.Length);
    }

    private static async Task<JsonElement> ReadMetadataAsync(MultipartSection section, CancellationToken cancellationToken)
    {
        using var reader = new StreamReader(section.Body, Encoding.UTF8);
        var buffer = new char[MaxMetadataCharacters + 1];
        var length = await reader.ReadBlockAsync(buffer, cancellationToken).ConfigureAwait(false);
        try
        {
            return length > MaxMetadataCharacters
                ? throw GatewayException.InvalidField("metadata", $"expected at most {MaxMetadataCharacters} characters of JSON.")
                : JsonElement.Parse(new string(buffer, 0, length));
        }
        catch (JsonException)
        {
            throw GatewayException.InvalidField("metadata", "expected a JSON object.");
        }
    }

    private static void LimitBody(HttpContext context, long? maxBytes)
    {
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } sizeFeature)
        {
            sizeFeature.MaxRequestBodySize = maxBytes;
        }
    }

    private static GatewayException Malformed(string message) => new(GatewayErrorKind.InvalidRequest, GatewayErrorCodes.MalformedRequest, message);
}
