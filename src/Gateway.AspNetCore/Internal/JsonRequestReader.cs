using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Gateway.AspNetCore.Configuration;
using Gateway.Core.Errors;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Gateway.AspNetCore.Internal;

/// <summary>
/// Reads a JSON request body under the configured size limit and turns every way it can be wrong
/// into a 400/413/415 <see cref="GatewayException"/> that names the problem and where it is.
/// </summary>
internal static class JsonRequestReader
{
    public static async ValueTask<T> ReadAsync<T>(HttpContext context, JsonTypeInfo<T> typeInfo)
        where T : class
    {
        var maxBytes = context.RequestServices.GetRequiredService<IOptions<GatewayHttpOptions>>().Value.MaxRequestBodyBytes;
        var request = context.Request;
        if (!request.HasJsonContentType())
        {
            throw new GatewayException(
                GatewayErrorKind.InvalidRequest,
                GatewayErrorCodes.UnsupportedMediaType,
                "The request body must be JSON: send 'Content-Type: application/json'.");
        }

        if (request.ContentLength > maxBytes)
        {
            throw TooLarge(maxBytes);
        }

        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } sizeFeature)
        {
            sizeFeature.MaxRequestBodySize = maxBytes;
        }

        T? body;
        try
        {
            body = await JsonSerializer.DeserializeAsync(request.Body, typeInfo, context.RequestAborted).ConfigureAwait(false);
        }
        catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            throw TooLarge(maxBytes);
        }
        catch (JsonException ex)
        {
            throw new GatewayException(
                GatewayErrorKind.InvalidRequest,
                GatewayErrorCodes.MalformedRequest,
                $"The request body is not valid JSON of the expected shape at {ex.Path ?? "$"}: {FirstSentence(ex.Message)}",
                new Dictionary<string, object?> { ["path"] = ex.Path ?? "$" });
        }

        return body ?? throw new GatewayException(
            GatewayErrorKind.InvalidRequest,
            GatewayErrorCodes.MalformedRequest,
            "The request body is empty or null; send a JSON object.",
            new Dictionary<string, object?> { ["path"] = "$" });
    }

    private static GatewayException TooLarge(long maxBytes) => new(
        GatewayErrorKind.PayloadTooLarge,
        GatewayErrorCodes.PayloadTooLarge,
        $"The request body is larger than the limit of {maxBytes} bytes (MAX_REQUEST_BODY_BYTES).",
        new Dictionary<string, object?> { ["limitBytes"] = maxBytes });

    private static string FirstSentence(string message)
    {
        // System.Text.Json appends "Path: … | LineNumber: …" which the problem already says better.
        var cut = message.IndexOf(" Path:", StringComparison.Ordinal);
        return cut > 0 ? message[..cut] : message;
    }
}
