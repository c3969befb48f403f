using System.Text.Json;
using System.Text.RegularExpressions;
using Gateway.AspNetCore.Configuration;
using Gateway.Core.Errors;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Gateway.AspNetCore.Internal;

/// <summary>
/// Wraps each endpoint of a <see cref="GatewayBindingRouteBuilder"/> group, binding included, so that
/// every way a request's inputs can be wrong is the gateway's problem: a body that is not JSON (400
/// <c>unsupported_media_type</c>), larger than <c>MAX_REQUEST_BODY_BYTES</c> (413
/// <c>payload_too_large</c>), malformed or of the wrong shape (400 <c>malformed_request</c> with the JSON
/// path), missing (400 <c>malformed_request</c>), or a query value that does not parse (400
/// <c>invalid_request</c> naming the parameter). ASP.NET Core binds before any endpoint filter runs, so
/// this sits around the whole request delegate.
/// </summary>
internal static partial class RequestBindingProblems
{
    public static void Apply(EndpointBuilder endpoint)
    {
        if (endpoint.RequestDelegate is not { } inner)
        {
            return;
        }

        var logger = endpoint.ApplicationServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(RequestBindingProblems));
        var jsonBody = RelaxContentTypeMatching(endpoint.Metadata);
        endpoint.Metadata.Add(new GatewayErrorResponse(StatusCodes.Status400BadRequest, [GatewayErrorCodes.InvalidRequest]));
        if (jsonBody)
        {
            endpoint.Metadata.Add(new GatewayErrorResponse(
                StatusCodes.Status400BadRequest, [GatewayErrorCodes.MalformedRequest, GatewayErrorCodes.UnsupportedMediaType]));
            endpoint.Metadata.Add(new GatewayErrorResponse(StatusCodes.Status413PayloadTooLarge, [GatewayErrorCodes.PayloadTooLarge]));
        }

        endpoint.RequestDelegate = context => InvokeAsync(context, inner, jsonBody, logger);
    }

    /// <summary>
    /// Takes the JSON content type off a <c>[FromBody]</c> endpoint's accepts metadata, keeping its body
    /// type for the OpenAPI document: routing would otherwise answer another content type with its own
    /// bare 415 before the endpoint (and this check) runs.
    /// </summary>
    private static bool RelaxContentTypeMatching(IList<object> metadata)
    {
        for (var i = 0; i < metadata.Count; i++)
        {
            if (metadata[i] is IAcceptsMetadata { RequestType: { } type, ContentTypes.Count: > 0 } accepts)
            {
                metadata[i] = new AcceptsMetadata([], type, accepts.IsOptional);
                return true;
            }
        }

        return false;
    }

    private static async Task InvokeAsync(HttpContext context, RequestDelegate inner, bool jsonBody, ILogger logger)
    {
        try
        {
            var maxBytes = jsonBody ? PrepareBody(context) : 0;
            await inner(context).ConfigureAwait(false);
            if (jsonBody && context.Response is { StatusCode: StatusCodes.Status413PayloadTooLarge, HasStarted: false })
            {
                // The server's limit stopped the read; binding reports that as a status, not an exception.
                throw TooLarge(maxBytes);
            }
        }
        catch (BadHttpRequestException ex) when (!context.Response.HasStarted)
        {
            await WriteAsync(context, ProblemOf(context, ex), logger).ConfigureAwait(false);
        }
        catch (GatewayException ex) when (!context.Response.HasStarted)
        {
            await WriteAsync(context, ex, logger).ConfigureAwait(false);
        }
    }

    private static long PrepareBody(HttpContext context)
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

        return maxBytes;
    }

    private static GatewayException ProblemOf(HttpContext context, BadHttpRequestException ex)
    {
        if (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return TooLarge(context.RequestServices.GetRequiredService<IOptions<GatewayHttpOptions>>().Value.MaxRequestBodyBytes);
        }

        if (ex.InnerException is JsonException json)
        {
            return new GatewayException(
                GatewayErrorKind.InvalidRequest,
                GatewayErrorCodes.MalformedRequest,
                $"The request body is not valid JSON of the expected shape at {json.Path ?? "$"}: {FirstSentence(json.Message)}",
                new Dictionary<string, object?> { ["path"] = json.Path ?? "$" });
        }

        if (ex.Message.EndsWith("from body.", StringComparison.Ordinal))
        {
            return new GatewayException(
                GatewayErrorKind.InvalidRequest,
                GatewayErrorCodes.MalformedRequest,
                "The request body is empty or null; send a JSON object.",
                new Dictionary<string, object?> { ["path"] = "$" });
        }

        if (UnparsableParameter().Match(ex.Message) is { Success: true } unparsable)
        {
            var field = JsonNamingPolicy.CamelCase.ConvertName(unparsable.Groups["name"].Value);
            return GatewayException.InvalidField(field, $"'{unparsable.Groups["value"].Value}' is not {Expected(unparsable.Groups["type"].Value)}.");
        }

        return new GatewayException(GatewayErrorKind.InvalidRequest, GatewayErrorCodes.InvalidRequest, ex.Message);
    }

    /// <summary>What a value of the parameter's type looks like; ASP.NET Core writes <c>int?</c> as <c>Nullable&lt;int&gt;</c>.</summary>
    private static string Expected(string typeName) =>
        (typeName.StartsWith("Nullable<", StringComparison.Ordinal) ? typeName["Nullable<".Length..^1] : typeName.TrimEnd('?')) switch
        {
            "int" or "long" => "a whole number",
            "bool" => "true or false",
            var other => "a valid " + other,
        };

    internal static GatewayException TooLarge(long maxBytes) => new(
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

    private static async Task WriteAsync(HttpContext context, GatewayException error, ILogger logger)
    {
        LogBindingFailed(logger, error.ErrorCode, error.Message);
        await GatewayProblems.Result(GatewayProblems.Create(context, error)).ExecuteAsync(context).ConfigureAwait(false);
    }

    // ASP.NET Core's wording for a route or query value that does not parse: Failed to bind parameter "int? Limit" from "abc".
    [GeneratedRegex("""^Failed to bind parameter "(?<type>\S+) (?<name>[^"]+)" from "(?<value>.*)"\.$""", RegexOptions.Singleline)]
    private static partial Regex UnparsableParameter();

    [LoggerMessage(Level = LogLevel.Information, Message = "Request rejected with {ErrorCode}: {Detail}")]
    private static partial void LogBindingFailed(ILogger logger, string errorCode, string detail);
}
