using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json;
using Gateway.Core.Errors;
using Gateway.Core.Internal;
using Gateway.Core.Models;
using Gateway.Core.Routing;

namespace Gateway.Core.Providers.Ollama;

/// <summary>
/// Describes an <c>ollama</c> route's model from Ollama's <c>POST /api/show</c>: its <c>details</c>
/// (format, family, parameter size, quantization level), its <c>model_info</c> (context length,
/// parameter count) and its <c>capabilities</c> (completion, tools, vision, embedding, …).
/// </summary>
internal sealed class OllamaModelMetadataSource(IHttpClientFactory httpClientFactory) : IModelMetadataSource
{
    private static readonly MediaTypeWithQualityHeaderValue Json = new("application/json");

    public string Provider => ChatProviderNames.Ollama;

    public ModelCapabilities DefaultCapabilities => ModelCapabilities.ChatAndStreaming;

    public async ValueTask<ModelMetadataReport> FetchAsync(ModelRoute route, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(route);
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(new Uri(route.Endpoint.TrimEnd('/') + "/"), "api/show"))
        {
            Content = JsonRequestContent.Create(route.Model, static (writer, model) =>
            {
                writer.WriteStartObject();
                writer.WriteString("model", model);
                writer.WriteEndObject();
            }),
        };
        request.Headers.Accept.Add(Json);
        if (!string.IsNullOrEmpty(route.ApiKey))
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", route.ApiKey);
        }

        byte[] body;
        try
        {
            body = await UpstreamCall.ReadBodyAsync(httpClientFactory.CreateClient(ModelMetadataHttpClient.Name), request, route, cancellationToken)
                .ConfigureAwait(false);
        }
        catch (GatewayException ex) when (ex.Extensions.TryGetValue("upstreamStatus", out var status) && status is 404)
        {
            return ModelMetadataReport.Unavailable(
                ModelMetadataSourceNames.OllamaShow,
                $"The Ollama server has no model '{route.Model}' ({ex.Extensions["upstreamMessage"]}); pull it with 'ollama pull {route.Model}'.");
        }

        try
        {
            return Parse(body);
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException)
        {
            throw UpstreamCall.ProtocolError(route, "the /api/show answer is not the JSON object Ollama documents.", ex);
        }
    }

    /// <summary>Reads an <c>/api/show</c> answer.</summary>
    internal static ModelMetadataReport Parse(ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json);
        using var document = JsonDocument.ParseValue(ref reader);
        var root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw new InvalidOperationException("The answer is not a JSON object.");
        }

        var details = new Dictionary<string, string>();
        ModelQuantization? quantization = null;
        if (root.TryGetProperty("details", out var modelDetails) && modelDetails.ValueKind == JsonValueKind.Object)
        {
            quantization = new ModelQuantization(
                Text(modelDetails, "quantization_level"),
                Text(modelDetails, "parameter_size"),
                Text(modelDetails, "family"),
                Text(modelDetails, "format"));
            if (Text(modelDetails, "parent_model") is { } parent)
            {
                details["parentModel"] = parent;
            }

            if (modelDetails.TryGetProperty("families", out var families) && families.ValueKind == JsonValueKind.Array)
            {
                details["families"] = string.Join(",", families.EnumerateArray()
                    .Where(family => family.ValueKind == JsonValueKind.String)
                    .Select(family => family.GetString()));
            }
        }

        long? contextLength = null;
        if (root.TryGetProperty("model_info", out var info) && info.ValueKind == JsonValueKind.Object)
        {
            var architecture = Text(info, "general.architecture");
            if (architecture is not null)
            {
                details["architecture"] = architecture;
                contextLength = Number(info, architecture + ".context_length");
            }

            // Without an architecture, any "<arch>.context_length" will do.
            contextLength ??= info.EnumerateObject()
                .Where(property => property.Name.EndsWith(".context_length", StringComparison.Ordinal))
                .Select(property => property.Value.ValueKind == JsonValueKind.Number && property.Value.TryGetInt64(out var value) ? value : (long?)null)
                .FirstOrDefault(value => value is not null);
            if (Number(info, "general.parameter_count") is { } parameters)
            {
                details["parameterCount"] = parameters.ToString(CultureInfo.InvariantCulture);
            }
        }

        ModelCapabilities? capabilities = null;
        if (root.TryGetProperty("capabilities", out var names) && names.ValueKind == JsonValueKind.Array)
        {
            var list = names.EnumerateArray()
                .Where(name => name.ValueKind == JsonValueKind.String)
                .Select(name => name.GetString()!)
                .ToArray();
            capabilities = FromOllama(list);
            details["upstreamCapabilities"] = string.Join(",", list);
        }

        if (Text(root, "modified_at") is { } modified)
        {
            details["modifiedAt"] = modified;
        }

        return new ModelMetadataReport(ModelMetadataSourceNames.OllamaShow, Available: true)
        {
            Capabilities = capabilities,
            Quantization = quantization is { IsEmpty: false } ? quantization : null,
            ContextLength = contextLength,
            Details = details,
        };
    }

    /// <summary>
    /// Maps Ollama's capability names: <c>completion</c> is chat, and Ollama streams every completion;
    /// <c>insert</c>, <c>thinking</c> and names yet to come stay in the details only.
    /// </summary>
    private static ModelCapabilities FromOllama(IReadOnlyCollection<string> names)
    {
        var completion = names.Contains("completion", StringComparer.OrdinalIgnoreCase);
        return new ModelCapabilities(
            Chat: completion,
            Streaming: completion,
            Tools: names.Contains("tools", StringComparer.OrdinalIgnoreCase),
            Embeddings: names.Contains("embedding", StringComparer.OrdinalIgnoreCase),
            Vision: names.Contains("vision", StringComparer.OrdinalIgnoreCase));
    }

    private static string? Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String && value.GetString() is { Length: > 0 } text
            ? text
            : null;

    private static long? Number(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var number)
            ? number
            : null;
}
