using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json;
using Gateway.Core.Internal;
using Gateway.Core.Models;
using Gateway.Core.Routing;

namespace Gateway.Core.Providers.OpenAI;

/// <summary>
/// Describes an <c>openai</c> route's model from the server's <c>GET /v1/models</c>: whether the model is
/// listed, who owns it, and the context length where the server adds it (vLLM's <c>max_model_len</c>,
/// llama.cpp server's <c>meta.n_ctx_train</c>). OpenAI's list says nothing about capabilities or
/// quantization; those come from the route's configuration.
/// </summary>
internal sealed class OpenAICompatibleModelMetadataSource(IHttpClientFactory httpClientFactory) : IModelMetadataSource
{
    private const int MaxListedInReason = 10;

    private static readonly MediaTypeWithQualityHeaderValue Json = new("application/json");

    public string Provider => ChatProviderNames.OpenAI;

    public ModelCapabilities DefaultCapabilities => ModelCapabilities.ChatAndStreaming;

    public async ValueTask<ModelMetadataReport> FetchAsync(ModelRoute route, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(route);
        using var request = new HttpRequestMessage(HttpMethod.Get, ModelsUri(new Uri(route.Endpoint)));
        request.Headers.Accept.Add(Json);
        if (!string.IsNullOrEmpty(route.ApiKey))
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", route.ApiKey);
        }

        var body = await UpstreamCall.ReadBodyAsync(httpClientFactory.CreateClient(ModelMetadataHttpClient.Name), request, route, cancellationToken)
            .ConfigureAwait(false);
        try
        {
            return Parse(body, route.Model);
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException)
        {
            throw UpstreamCall.ProtocolError(route, "the /models answer is not the list OpenAI documents.", ex);
        }
    }

    /// <summary>The model list's address: the base URL (with <c>/v1</c> added when it has no path) plus <c>/models</c>.</summary>
    internal static Uri ModelsUri(Uri baseUri)
    {
        var path = baseUri.AbsolutePath.TrimEnd('/');
        return new UriBuilder(baseUri) { Path = (path.Length == 0 ? "/v1" : path) + "/models" }.Uri;
    }

    /// <summary>Reads a <c>/v1/models</c> answer and finds <paramref name="model"/> in it.</summary>
    internal static ModelMetadataReport Parse(ReadOnlySpan<byte> json, string model)
    {
        var reader = new Utf8JsonReader(json);
        using var document = JsonDocument.ParseValue(ref reader);
        if (document.RootElement.ValueKind != JsonValueKind.Object
            || !document.RootElement.TryGetProperty("data", out var data)
            || data.ValueKind != JsonValueKind.Array)
        {
            throw new InvalidOperationException("The answer has no 'data' array.");
        }

        var entries = data.EnumerateArray()
            .Where(entry => entry.ValueKind == JsonValueKind.Object && entry.TryGetProperty("id", out var id) && id.ValueKind == JsonValueKind.String)
            .ToArray();
        // Ids are case-sensitive for OpenAI; a server that differs only in case still serves the model.
        var match = entries.FirstOrDefault(entry => string.Equals(entry.GetProperty("id").GetString(), model, StringComparison.Ordinal));
        if (match.ValueKind == JsonValueKind.Undefined)
        {
            match = entries.FirstOrDefault(entry => string.Equals(entry.GetProperty("id").GetString(), model, StringComparison.OrdinalIgnoreCase));
        }

        if (match.ValueKind == JsonValueKind.Undefined)
        {
            var listed = entries.Take(MaxListedInReason).Select(entry => entry.GetProperty("id").GetString()).ToArray();
            return ModelMetadataReport.Unavailable(
                ModelMetadataSourceNames.OpenAIModels,
                entries.Length == 0
                    ? $"The upstream lists no models, so not '{model}'."
                    : $"The upstream does not list the model '{model}'; it lists {entries.Length}: {string.Join(", ", listed)}{(entries.Length > listed.Length ? ", …" : string.Empty)}.");
        }

        var details = new Dictionary<string, string>();
        if (match.TryGetProperty("owned_by", out var owner) && owner.ValueKind == JsonValueKind.String && owner.GetString() is { Length: > 0 } ownedBy)
        {
            details["ownedBy"] = ownedBy;
        }

        long? contextLength = Number(match, "max_model_len");
        if (match.TryGetProperty("meta", out var meta) && meta.ValueKind == JsonValueKind.Object)
        {
            contextLength ??= Number(meta, "n_ctx_train");
            if (Number(meta, "n_params") is { } parameters)
            {
                details["parameterCount"] = parameters.ToString(CultureInfo.InvariantCulture);
            }
        }

        return new ModelMetadataReport(ModelMetadataSourceNames.OpenAIModels, Available: true)
        {
            ContextLength = contextLength,
            Details = details,
        };
    }

    private static long? Number(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var number)
            ? number
            : null;
}
