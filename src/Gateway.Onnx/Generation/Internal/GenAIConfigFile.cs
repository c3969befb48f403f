using System.Text.Json;

namespace Gateway.Onnx.Generation.Internal;

/// <summary>
/// The parts of a model folder's <c>genai_config.json</c> the gateway reads itself: enough to check a
/// route at start-up and to describe the model. ONNX Runtime GenAI reads the whole file when it loads.
/// </summary>
internal sealed record GenAIConfigFile(
    string ModelType,
    int ContextLength,
    int VocabSize,
    int Layers,
    int HiddenSize,
    int AttentionHeads,
    int KeyValueHeads,
    int HeadSize)
{
    public const string FileName = "genai_config.json";

    /// <summary>Checks that <paramref name="folder"/> is a GenAI model folder whose configuration can be read.</summary>
    /// <returns>A sentence describing the problem, or <see langword="null"/> when the folder looks usable.</returns>
    public static string? Validate(string folder)
    {
        if (!Directory.Exists(folder))
        {
            return $"the model folder '{folder}' does not exist (it must be an ONNX Runtime GenAI model folder containing {FileName})";
        }

        if (!File.Exists(Path.Combine(folder, FileName)))
        {
            return $"the model folder '{folder}' has no {FileName}; point the route at an ONNX Runtime GenAI export (e.g. Phi-3, Qwen or Llama converted with onnxruntime-genai's model builder)";
        }

        try
        {
            Read(folder);
            return null;
        }
        catch (Exception ex) when (ex is JsonException or InvalidDataException or IOException or UnauthorizedAccessException)
        {
            return $"{Path.Combine(folder, FileName)} cannot be read: {ex.Message.TrimEnd('.')}";
        }
    }

    /// <exception cref="JsonException">The file is not JSON.</exception>
    /// <exception cref="InvalidDataException">The JSON lacks <c>model.type</c> or <c>model.decoder</c>.</exception>
    public static GenAIConfigFile Read(string folder)
    {
        using var document = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(folder, FileName)), new JsonDocumentOptions
        {
            AllowTrailingCommas = true,
            CommentHandling = JsonCommentHandling.Skip,
        });
        if (document.RootElement.ValueKind != JsonValueKind.Object
            || !document.RootElement.TryGetProperty("model", out var model)
            || model.ValueKind != JsonValueKind.Object
            || !model.TryGetProperty("type", out var type)
            || type.ValueKind != JsonValueKind.String)
        {
            throw new InvalidDataException("it has no \"model\": { \"type\": … } object");
        }

        if (!model.TryGetProperty("decoder", out var decoder) || decoder.ValueKind != JsonValueKind.Object)
        {
            throw new InvalidDataException("it has no \"model\": { \"decoder\": … } object");
        }

        var contextLength = Number(model, "context_length");
        if (contextLength == 0 && document.RootElement.TryGetProperty("search", out var search))
        {
            contextLength = Number(search, "max_length");
        }

        var attentionHeads = Number(decoder, "num_attention_heads");
        return new GenAIConfigFile(
            type.GetString()!,
            contextLength,
            Number(model, "vocab_size"),
            Number(decoder, "num_hidden_layers"),
            Number(decoder, "hidden_size"),
            attentionHeads,
            Number(decoder, "num_key_value_heads") is var kvHeads and > 0 ? kvHeads : attentionHeads,
            Number(decoder, "head_size"));
    }

    private static int Number(JsonElement parent, string name) =>
        parent.ValueKind == JsonValueKind.Object
        && parent.TryGetProperty(name, out var value)
        && value.ValueKind == JsonValueKind.Number
        && value.TryGetInt32(out var number)
            ? number
            : 0;
}
