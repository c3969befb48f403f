using System.Net;
using System.Text;
using System.Text.Json;
using Gateway.Core.Errors;
using Gateway.Core.Routing;

namespace Gateway.Core.Internal;

/// <summary>
/// Sends a request to an upstream and turns every way it can fail into a <see cref="GatewayException"/>
/// with a stable error code, so providers share one error vocabulary.
/// </summary>
internal static class UpstreamCall
{
    private const int MaxErrorBodyChars = 2_000;

    public static async Task<HttpResponseMessage> SendAsync(
        HttpClient http, HttpRequestMessage request, ModelRoute route, CancellationToken cancellationToken)
    {
        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken)
                .ConfigureAwait(false);
        }
        catch (HttpRequestException ex)
        {
            throw new GatewayException(
                GatewayErrorKind.UpstreamFailure,
                GatewayErrorCodes.UpstreamUnavailable,
                $"The upstream for route '{route.Key}' at {request.RequestUri?.GetLeftPart(UriPartial.Authority)} could not be reached: {ex.Message}",
                RouteExtensions(route),
                ex);
        }

        if (response.IsSuccessStatusCode)
        {
            return response;
        }

        using (response)
        {
            throw await FromErrorStatusAsync(response, route, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Sends the request and reads the whole answer body.</summary>
    public static async Task<byte[]> ReadBodyAsync(
        HttpClient http, HttpRequestMessage request, ModelRoute route, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(http, request, route, cancellationToken).ConfigureAwait(false);
        try
        {
            return await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or HttpRequestException)
        {
            throw StreamBroken(route, ex);
        }
    }

    /// <summary>Opens the body of an answer that is to be read as a stream.</summary>
    public static async Task<Stream> OpenBodyAsync(HttpResponseMessage response, ModelRoute route, CancellationToken cancellationToken)
    {
        try
        {
            return await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or HttpRequestException)
        {
            throw StreamBroken(route, ex);
        }
    }

    /// <summary>Wraps a failure while reading an already-started upstream answer.</summary>
    public static GatewayException StreamBroken(ModelRoute route, Exception ex) => new(
        GatewayErrorKind.UpstreamFailure,
        GatewayErrorCodes.UpstreamUnavailable,
        $"The upstream for route '{route.Key}' broke off its answer: {ex.Message}",
        RouteExtensions(route),
        ex);

    /// <summary>
    /// Reports a stream that ended without its provider's end marker: the answer may have been cut short,
    /// so it is never reported as finished.
    /// </summary>
    public static GatewayException StreamEndedEarly(ModelRoute route, string endMarker) => new(
        GatewayErrorKind.UpstreamFailure,
        GatewayErrorCodes.UpstreamUnavailable,
        $"The upstream for route '{route.Key}' ended its stream before its end marker ({endMarker}); the answer may be cut short.",
        RouteExtensions(route));

    /// <summary>Reports an answer that does not follow the provider's wire format.</summary>
    public static GatewayException ProtocolError(ModelRoute route, string what, Exception? ex = null) => new(
        GatewayErrorKind.UpstreamFailure,
        GatewayErrorCodes.UpstreamProtocolError,
        $"The upstream for route '{route.Key}' sent an answer the gateway cannot read: {what}",
        RouteExtensions(route),
        ex);

    /// <summary>Reports an error the upstream wrote into an already-started stream.</summary>
    public static GatewayException StreamError(ModelRoute route, string upstreamMessage) => new(
        GatewayErrorKind.UpstreamFailure,
        GatewayErrorCodes.UpstreamError,
        $"The upstream for route '{route.Key}' failed while answering: {upstreamMessage}",
        RouteExtensions(route));

    private static async Task<GatewayException> FromErrorStatusAsync(
        HttpResponseMessage response, ModelRoute route, CancellationToken cancellationToken)
    {
        var status = (int)response.StatusCode;
        var upstreamMessage = await ReadErrorMessageAsync(response, cancellationToken).ConfigureAwait(false);
        var extensions = new Dictionary<string, object?>(RouteExtensions(route))
        {
            ["upstreamStatus"] = status,
            ["upstreamMessage"] = upstreamMessage,
        };

        return response.StatusCode switch
        {
            HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden => new GatewayException(
                GatewayErrorKind.UpstreamFailure,
                GatewayErrorCodes.UpstreamAuthenticationFailed,
                $"The upstream for route '{route.Key}' rejected the gateway's credentials (HTTP {status}). Check the API key the route names.",
                extensions),
            HttpStatusCode.BadRequest => new GatewayException(
                GatewayErrorKind.InvalidRequest,
                GatewayErrorCodes.UpstreamBadRequest,
                $"The upstream for route '{route.Key}' rejected the request: {upstreamMessage}",
                extensions),
            _ => new GatewayException(
                GatewayErrorKind.UpstreamFailure,
                GatewayErrorCodes.UpstreamError,
                $"The upstream for route '{route.Key}' answered HTTP {status}: {upstreamMessage}",
                extensions),
        };
    }

    private static async Task<string> ReadErrorMessageAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        string body;
        try
        {
            body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException)
        {
            return response.ReasonPhrase ?? "no message";
        }

        var trimmed = body.Trim();
        return ExtractMessage(trimmed)
            ?? (trimmed.Length > 0 ? Truncate(trimmed) : response.ReasonPhrase ?? "no message");
    }

    /// <summary>Finds the human message in the error shapes OpenAI-compatible servers and Ollama use.</summary>
    private static string? ExtractMessage(string body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return null;
            }

            if (root.TryGetProperty("error", out var error))
            {
                if (error.ValueKind == JsonValueKind.String)
                {
                    return Truncate(error.GetString()!);
                }

                if (error.ValueKind == JsonValueKind.Object && error.TryGetProperty("message", out var message)
                    && message.ValueKind == JsonValueKind.String)
                {
                    return Truncate(message.GetString()!);
                }
            }

            foreach (var name in (ReadOnlySpan<string>)["message", "detail"])
            {
                if (root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String)
                {
                    return Truncate(value.GetString()!);
                }
            }

            return null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string Truncate(string text) =>
        text.Length <= MaxErrorBodyChars ? text : new StringBuilder(text, 0, MaxErrorBodyChars, MaxErrorBodyChars + 1).Append('…').ToString();

    private static Dictionary<string, object?> RouteExtensions(ModelRoute route) => new()
    {
        ["modelKey"] = route.Key.Value,
        ["provider"] = route.Provider,
    };
}
