using System.Text;
using System.Text.Json;
using Microsoft.ML.Tokenizers;

namespace Gateway.Onnx.Embeddings.Internal;

/// <summary>
/// Builds Microsoft.ML.Tokenizers' <see cref="BertTokenizer"/> for a model folder, from <c>vocab.txt</c> or,
/// without one, from the WordPiece model inside a Hugging Face <c>tokenizer.json</c>.
/// </summary>
internal static class WordPieceTokenizerFactory
{
    public static BertTokenizer Create(string name, EmbeddingModelConfig config)
    {
        var options = new BertOptions
        {
            LowerCaseBeforeTokenization = config.LowerCase,
            RemoveNonSpacingMarks = config.StripAccents,
            ApplyBasicTokenization = true,
            SplitOnSpecialTokens = true,
            IndividuallyTokenizeCjk = true,
        };

        var vocab = Path.Combine(config.Folder, EmbeddingModelFolder.VocabFile);
        try
        {
            if (File.Exists(vocab))
            {
                return BertTokenizer.Create(vocab, options);
            }

            using var stream = VocabFromTokenizerJson(name, Path.Combine(config.Folder, EmbeddingModelFolder.TokenizerFile), options);
            return BertTokenizer.Create(stream, options);
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidOperationException or FormatException or IOException)
        {
            throw EmbeddingModelFolder.Invalid(name, $"its tokenizer cannot be loaded: {ex.Message}");
        }
    }

    /// <summary>Writes the WordPiece vocabulary of a <c>tokenizer.json</c> as <c>vocab.txt</c> lines, in id order.</summary>
    private static MemoryStream VocabFromTokenizerJson(string name, string path, BertOptions options)
    {
        using var document = JsonDocument.Parse(File.ReadAllBytes(path));
        if (!document.RootElement.TryGetProperty("model", out var model) || model.ValueKind != JsonValueKind.Object)
        {
            throw EmbeddingModelFolder.Invalid(name, $"'{path}' has no tokenizer model.");
        }

        var type = model.TryGetProperty("type", out var t) ? t.GetString() : null;
        if (type != "WordPiece" || !model.TryGetProperty("vocab", out var entries) || entries.ValueKind != JsonValueKind.Object)
        {
            throw EmbeddingModelFolder.Invalid(
                name, $"'{path}' holds a {type ?? "unknown"} tokenizer; only WordPiece (BERT) tokenizers are supported, as tokenizer.json or vocab.txt.");
        }

        if (model.TryGetProperty("unk_token", out var unknown) && unknown.GetString() is { } unknownToken)
        {
            options.UnknownToken = unknownToken;
        }

        if (model.TryGetProperty("continuing_subword_prefix", out var prefix) && prefix.GetString() is { } prefixText)
        {
            options.ContinuingSubwordPrefix = prefixText;
        }

        if (model.TryGetProperty("max_input_chars_per_word", out var maxChars) && maxChars.TryGetInt32(out var maxCharsValue))
        {
            options.MaxInputCharsPerWord = maxCharsValue;
        }

        var tokens = new string?[entries.EnumerateObject().Count()];
        foreach (var entry in entries.EnumerateObject())
        {
            var id = entry.Value.GetInt32();
            if (id < 0 || id >= tokens.Length || tokens[id] is not null)
            {
                throw EmbeddingModelFolder.Invalid(name, $"'{path}': the vocabulary's ids are not 0 to {tokens.Length - 1}, each once (at '{entry.Name}' = {id}).");
            }

            tokens[id] = entry.Name;
        }

        var stream = new MemoryStream();
        using (var writer = new StreamWriter(stream, new UTF8Encoding(false), leaveOpen: true) { NewLine = "\n" })
        {
            foreach (var token in tokens)
            {
                writer.WriteLine(token);
            }
        }

        stream.Position = 0;
        return stream;
    }
}
