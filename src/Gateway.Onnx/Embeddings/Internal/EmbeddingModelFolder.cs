using System.Text.Json;
using Gateway.Core.Errors;

namespace Gateway.Onnx.Embeddings.Internal;

/// <summary>
/// Reads a sentence-embedding model folder: <c>model.onnx</c> plus <c>vocab.txt</c> or a WordPiece
/// <c>tokenizer.json</c>, and, when present, the sentence-transformers and Hugging Face files that say
/// how it is meant to be run. Settings given in <see cref="OnnxEmbeddingModelOptions"/> win over the files.
/// </summary>
internal static class EmbeddingModelFolder
{
    public const string ModelFile = "model.onnx";
    public const string VocabFile = "vocab.txt";
    public const string TokenizerFile = "tokenizer.json";

    /// <summary>Beyond this a <c>model_max_length</c> is Hugging Face's "no limit" placeholder, not a limit.</summary>
    private const int UnsetMaxLength = 1_000_000;

    private const int BertMaxPositions = 512;

    /// <summary>Checks that <paramref name="folder"/> holds a model and a tokenizer; the problem when not.</summary>
    public static string? Problem(string folder)
    {
        if (!Directory.Exists(folder))
        {
            return $"the folder '{folder}' does not exist";
        }

        if (!File.Exists(Path.Combine(folder, ModelFile)))
        {
            return $"the folder '{folder}' has no {ModelFile}";
        }

        return File.Exists(Path.Combine(folder, VocabFile)) || File.Exists(Path.Combine(folder, TokenizerFile))
            ? null
            : $"the folder '{folder}' has neither {VocabFile} nor {TokenizerFile}";
    }

    public static EmbeddingModelConfig Read(string name, string folder, OnnxEmbeddingModelOptions options)
    {
        folder = Path.GetFullPath(folder);
        if (Problem(folder) is { } problem)
        {
            throw Invalid(name, problem + "; expected a sentence-embedding model folder with model.onnx and vocab.txt or tokenizer.json.");
        }

        using var modules = ReadJson(name, folder, "modules.json");
        using var pooling = ReadJson(name, folder, Path.Combine(PoolingFolder(modules), "config.json"));
        using var sentenceBert = ReadJson(name, folder, "sentence_bert_config.json");
        using var tokenizerConfig = ReadJson(name, folder, "tokenizer_config.json");
        using var tokenizer = ReadJson(name, folder, TokenizerFile);
        using var modelConfig = ReadJson(name, folder, "config.json");

        var normalizer = tokenizer is not null && tokenizer.RootElement.TryGetProperty("normalizer", out var n) && n.ValueKind == JsonValueKind.Object
            ? n
            : default;
        var lowerCase = options.LowerCase
            ?? Bool(tokenizerConfig, "do_lower_case")
            ?? Bool(normalizer, "lowercase")
            ?? true;

        // Hugging Face strips accents exactly when it lower-cases, unless strip_accents says otherwise.
        var stripAccents = Bool(tokenizerConfig, "strip_accents") ?? Bool(normalizer, "strip_accents") ?? lowerCase;

        return new EmbeddingModelConfig(
            folder,
            Path.Combine(folder, ModelFile),
            options.Pooling ?? ReadPooling(name, folder, pooling) ?? EmbeddingPooling.Mean,
            options.Normalize ?? ReadNormalize(modules) ?? true,
            lowerCase,
            stripAccents,
            options.MaxInputTokens ?? ReadMaxTokens(sentenceBert, tokenizerConfig, modelConfig));
    }

    private static string PoolingFolder(JsonDocument? modules)
    {
        if (modules?.RootElement is { ValueKind: JsonValueKind.Array } list)
        {
            foreach (var module in list.EnumerateArray())
            {
                if (String(module, "type")?.EndsWith(".Pooling", StringComparison.Ordinal) == true && String(module, "path") is { Length: > 0 } path)
                {
                    return path;
                }
            }
        }

        return "1_Pooling";
    }

    private static bool? ReadNormalize(JsonDocument? modules) =>
        modules?.RootElement is { ValueKind: JsonValueKind.Array } list
            ? list.EnumerateArray().Any(module => String(module, "type")?.EndsWith(".Normalize", StringComparison.Ordinal) == true)
            : null;

    private static EmbeddingPooling? ReadPooling(string name, string folder, JsonDocument? config)
    {
        if (config is null)
        {
            return null;
        }

        var root = config.RootElement;
        var modes = root.ValueKind == JsonValueKind.Object
            ? root.EnumerateObject()
                .Where(property => property.Name.StartsWith("pooling_mode_", StringComparison.Ordinal) && property.Value.ValueKind == JsonValueKind.True)
                .Select(property => property.Name)
                .ToList()
            : [];
        return modes switch
        {
            ["pooling_mode_mean_tokens"] => EmbeddingPooling.Mean,
            ["pooling_mode_cls_token"] => EmbeddingPooling.Cls,
            [] => null,
            _ => throw Invalid(
                name,
                $"the pooling configuration in '{folder}' asks for {string.Join(" + ", modes)}; supported are pooling_mode_mean_tokens or pooling_mode_cls_token alone (or set the pooling explicitly)."),
        };
    }

    private static int ReadMaxTokens(JsonDocument? sentenceBert, JsonDocument? tokenizerConfig, JsonDocument? modelConfig)
    {
        // sentence-transformers' own limit wins; otherwise the tokenizer's, capped by the model's positions.
        if (Int(sentenceBert, "max_seq_length") is > 0 and var sequence)
        {
            return sequence;
        }

        var positions = Int(modelConfig, "max_position_embeddings") is > 0 and var p ? p : BertMaxPositions;
        return Int(tokenizerConfig, "model_max_length") is > 0 and < UnsetMaxLength and var tokens
            ? Math.Min(tokens, positions)
            : positions;
    }

    private static JsonDocument? ReadJson(string name, string folder, string file)
    {
        var path = Path.Combine(folder, file);
        if (!File.Exists(path))
        {
            return null;
        }

        try
        {
            using var stream = File.OpenRead(path);
            return JsonDocument.Parse(stream);
        }
        catch (JsonException ex)
        {
            throw Invalid(name, $"'{path}' is not valid JSON: {ex.Message}");
        }
    }

    private static bool? Bool(JsonDocument? document, string property) =>
        document is null ? null : Bool(document.RootElement, property);

    private static bool? Bool(JsonElement element, string property) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(property, out var value)
            ? value.ValueKind switch { JsonValueKind.True => true, JsonValueKind.False => false, _ => null }
            : null;

    private static int? Int(JsonDocument? document, string property) =>
        document?.RootElement is { ValueKind: JsonValueKind.Object } root
        && root.TryGetProperty(property, out var value)
        && value.ValueKind == JsonValueKind.Number
        && value.TryGetDouble(out var number)
            ? (int)Math.Min(number, int.MaxValue)
            : null;

    private static string? String(JsonElement element, string property) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;

    public static GatewayException Invalid(string name, string problem) => new(
        GatewayErrorKind.Unavailable,
        GatewayErrorCodes.InvalidEmbeddingModel,
        $"Embedding model '{name}': {problem}",
        new Dictionary<string, object?> { ["model"] = name });
}
