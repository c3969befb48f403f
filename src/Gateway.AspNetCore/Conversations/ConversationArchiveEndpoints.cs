using System.Globalization;
using System.Text.Json;
using Gateway.AspNetCore.Configuration;
using Gateway.AspNetCore.Internal;
using Gateway.Core.Errors;
using Gateway.Core.Storage.Conversations;
using Gateway.Core.Storage.Conversations.Archive;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;

namespace Gateway.AspNetCore.Conversations;

/// <summary>
/// <c>GET /api/conversations/export</c> and <c>POST /api/conversations/import</c>. Both stream:
/// the export writes one conversation at a time, the import reads one at a time inside a single
/// transaction, so a file of any size needs memory for its largest conversation only.
/// </summary>
internal static class ConversationArchiveEndpoints
{
    public static void Map(IEndpointRouteBuilder api)
    {
        api.MapGet("/api/conversations/export", ExportAsync).WithName("ExportConversations").WithTags("Conversations")
            .Produces(StatusCodes.Status200OK, contentType: "application/json");
        // The import reads its body as a stream under its own limit (MAX_IMPORT_BYTES), so it declares
        // the body for the OpenAPI document without a content type that routing would enforce.
        api.MapPost("/api/conversations/import", ImportAsync).WithName("ImportConversations").WithTags("Conversations")
            .WithMetadata(new AcceptsMetadata([], typeof(JsonElement)))
            .ProducesGatewayError(StatusCodes.Status400BadRequest, GatewayErrorCodes.InvalidImport, GatewayErrorCodes.UnsupportedMediaType)
            .ProducesGatewayError(StatusCodes.Status413PayloadTooLarge, GatewayErrorCodes.PayloadTooLarge);
    }

    // ?ids= names the conversations to export, repeated (ids=a&ids=b) or comma-separated (ids=a,b); all when absent.
    private static async Task ExportAsync(
        [FromQuery(Name = "ids")] string[]? ids, HttpContext context, [FromServices] IConversationArchive archive, [FromServices] TimeProvider time)
    {
        // Absent, ASP.NET Core binds an empty array; the archive reads null as every conversation.
        var selected = ids is not { Length: > 0 } ? null : ids.SelectMany(value => value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).ToList();
        var response = context.Response;
        response.ContentType = "application/json; charset=utf-8";
        var stamp = time.GetUtcNow().ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture);
        response.Headers.ContentDisposition = $"attachment; filename=\"gateway-conversations-{stamp}.json\"";
        await ConversationArchiveWriter.WriteAsync(
            response.Body, archive.ExportAsync(selected, context.RequestAborted), time, context.RequestAborted).ConfigureAwait(false);
    }

    private static async Task<Ok<ImportResult>> ImportAsync(
        HttpContext context,
        [FromServices] IConversationArchive archive,
        [FromServices] TimeProvider time,
        [FromServices] IOptions<GatewayHttpOptions> options)
    {
        var request = context.Request;
        if (!request.HasJsonContentType())
        {
            throw new GatewayException(
                GatewayErrorKind.InvalidRequest,
                GatewayErrorCodes.UnsupportedMediaType,
                "The import must be JSON: send 'Content-Type: application/json' with a gateway export or ChatGPT's conversations.json.");
        }

        var maxBytes = options.Value.MaxImportBytes;
        if (request.ContentLength > maxBytes)
        {
            throw ImportTooLarge(maxBytes);
        }

        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } sizeFeature)
        {
            sizeFeature.MaxRequestBodySize = maxBytes;
        }

        try
        {
            var conversations = ConversationArchiveReader.ReadAsync(request.Body, time, context.RequestAborted);
            return TypedResults.Ok(await archive.ImportAsync(conversations, context.RequestAborted).ConfigureAwait(false));
        }
        catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            throw ImportTooLarge(maxBytes);
        }
    }

    private static GatewayException ImportTooLarge(long maxBytes) => new(
        GatewayErrorKind.PayloadTooLarge,
        GatewayErrorCodes.PayloadTooLarge,
        $"The import file is larger than the limit of {maxBytes} bytes (MAX_IMPORT_BYTES); nothing was imported.",
        new Dictionary<string, object?> { ["limitBytes"] = maxBytes });
}
