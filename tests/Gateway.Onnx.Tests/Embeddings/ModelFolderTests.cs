using System.Text;
using System.Text.Json;
using Gateway.Core.Errors;
using Gateway.Onnx.Embeddings;
using Gateway.Onnx.Tests.Infrastructure;

namespace Gateway.Onnx.Tests.Embeddings;

/// <summary>Any sentence-embedding folder loads: vocab.txt or tokenizer.json, settings from its own files; a bad folder says what is wrong.</summary>
public sealed class ModelFolderTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("gateway-onnx-model-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void Load_MissingFolder_NamesTheFolder()
    {
        var missing = Path.Combine(_folder, "nowhere");

        var error = Assert.Throws<GatewayException>(() => OnnxEmbeddingGenerator.Load("mine", missing));

        Assert.Equal(GatewayErrorCodes.InvalidEmbeddingModel, error.ErrorCode);
        Assert.Contains("'mine'", error.Message);
        Assert.Contains(missing, error.Message);
    }

    [Fact]
    public void Load_FolderWithoutModel_SaysModelOnnxIsMissing()
    {
        File.Copy(Path.Combine(BundledEmbeddingModel.Folder, "vocab.txt"), Path.Combine(_folder, "vocab.txt"));

        var error = Assert.Throws<GatewayException>(() => OnnxEmbeddingGenerator.Load("mine", _folder));

        Assert.Contains("has no model.onnx", error.Message);
    }

    [Fact]
    public void Load_FolderWithoutTokenizer_SaysWhichFilesAreExpected()
    {
        LinkModel();

        var error = Assert.Throws<GatewayException>(() => OnnxEmbeddingGenerator.Load("mine", _folder));

        Assert.Contains("neither vocab.txt nor tokenizer.json", error.Message);
    }

    [Fact]
    public void Load_ModelThatIsNotOnnx_SaysOnnxRuntimeCannotLoadIt()
    {
        File.WriteAllText(Path.Combine(_folder, "model.onnx"), "not a model");
        File.Copy(Path.Combine(BundledEmbeddingModel.Folder, "vocab.txt"), Path.Combine(_folder, "vocab.txt"));

        var error = Assert.Throws<GatewayException>(() => OnnxEmbeddingGenerator.Load("mine", _folder));

        Assert.Equal(GatewayErrorCodes.InvalidEmbeddingModel, error.ErrorCode);
        Assert.Contains("ONNX Runtime cannot load", error.Message);
    }

    [Fact]
    public void Load_NonWordPieceTokenizerJson_IsRefusedByName()
    {
        LinkModel();
        File.WriteAllText(Path.Combine(_folder, "tokenizer.json"), """{"model":{"type":"BPE","vocab":{},"merges":[]}}""");

        var error = Assert.Throws<GatewayException>(() => OnnxEmbeddingGenerator.Load("mine", _folder));

        Assert.Contains("BPE", error.Message);
        Assert.Contains("only WordPiece", error.Message);
    }

    [Fact]
    public async Task Load_WordPieceTokenizerJson_GivesTheSameVectorsAsVocabTxt()
    {
        LinkModel();
        WriteTokenizerJson();

        using var generator = OnnxEmbeddingGenerator.Load("from-json", _folder);
        var vectors = await generator.EmbedAsync("Zürich's café is naïve", "A man is playing a guitar on stage.");
        var expected = await MiniLM.Generator.EmbedAsync("Zürich's café is naïve", "A man is playing a guitar on stage.");

        Assert.Equal(EmbeddingPooling.Mean, generator.Pooling);
        for (var i = 0; i < vectors.Length; i++)
        {
            Assert.True(MiniLM.Cosine(expected[i], vectors[i]) >= 0.99999f);
        }
    }

    [Fact]
    public async Task Load_FolderFiles_SetPoolingNormalisationAndLimit()
    {
        LinkModel();
        File.Copy(Path.Combine(BundledEmbeddingModel.Folder, "vocab.txt"), Path.Combine(_folder, "vocab.txt"));
        Directory.CreateDirectory(Path.Combine(_folder, "1_Pooling"));
        File.WriteAllText(Path.Combine(_folder, "1_Pooling", "config.json"), """{"pooling_mode_cls_token": true, "pooling_mode_mean_tokens": false}""");
        File.WriteAllText(Path.Combine(_folder, "modules.json"), """[{"path":"","type":"sentence_transformers.models.Transformer"},{"path":"1_Pooling","type":"sentence_transformers.models.Pooling"}]""");
        File.WriteAllText(Path.Combine(_folder, "tokenizer_config.json"), """{"do_lower_case": true, "model_max_length": 16}""");

        using var generator = OnnxEmbeddingGenerator.Load("cls", _folder);
        var cls = (await generator.EmbedAsync("The quick brown fox jumps over the lazy dog."))[0];

        Assert.Equal(EmbeddingPooling.Cls, generator.Pooling);
        Assert.False(generator.Normalize);
        Assert.Equal(16, generator.MaxInputTokens);
        Assert.Equal(16, generator.Tokenize(string.Join(' ', Enumerable.Repeat("word", 50))).Length);
        Assert.NotEqual(1.0, System.Numerics.Tensors.TensorPrimitives.Norm<float>(cls), 2);

        // Options win over the folder's files.
        using var overridden = OnnxEmbeddingGenerator.Load("mean", _folder, new OnnxEmbeddingModelOptions { Pooling = EmbeddingPooling.Mean, Normalize = true, MaxInputTokens = 256 });
        var mean = (await overridden.EmbedAsync("The quick brown fox jumps over the lazy dog."))[0];
        var bundled = (await MiniLM.Generator.EmbedAsync("The quick brown fox jumps over the lazy dog."))[0];
        Assert.True(MiniLM.Cosine(bundled, mean) >= 0.99999f);
        Assert.True(MiniLM.Cosine(bundled, cls) < 0.95f);
    }

    [Fact]
    public void Load_UnsupportedPooling_NamesTheMode()
    {
        LinkModel();
        File.Copy(Path.Combine(BundledEmbeddingModel.Folder, "vocab.txt"), Path.Combine(_folder, "vocab.txt"));
        Directory.CreateDirectory(Path.Combine(_folder, "1_Pooling"));
        File.WriteAllText(Path.Combine(_folder, "1_Pooling", "config.json"), """{"pooling_mode_max_tokens": true}""");

        var error = Assert.Throws<GatewayException>(() => OnnxEmbeddingGenerator.Load("max", _folder));

        Assert.Contains("pooling_mode_max_tokens", error.Message);
    }

    private void LinkModel() =>
        File.CreateSymbolicLink(Path.Combine(_folder, "model.onnx"), Path.Combine(BundledEmbeddingModel.Folder, "model.onnx"));

    /// <summary>A Hugging Face tokenizer.json with the bundled vocabulary as a WordPiece model.</summary>
    private void WriteTokenizerJson()
    {
        var vocab = File.ReadAllLines(Path.Combine(BundledEmbeddingModel.Folder, "vocab.txt"), Encoding.UTF8);
        using var stream = File.Create(Path.Combine(_folder, "tokenizer.json"));
        using var json = new Utf8JsonWriter(stream);
        json.WriteStartObject();
        json.WriteStartObject("normalizer");
        json.WriteString("type", "BertNormalizer");
        json.WriteBoolean("lowercase", true);
        json.WriteEndObject();
        json.WriteStartObject("model");
        json.WriteString("type", "WordPiece");
        json.WriteString("unk_token", "[UNK]");
        json.WriteString("continuing_subword_prefix", "##");
        json.WriteNumber("max_input_chars_per_word", 100);
        json.WriteStartObject("vocab");
        for (var id = 0; id < vocab.Length; id++)
        {
            json.WriteNumber(vocab[id], id);
        }

        json.WriteEndObject();
        json.WriteEndObject();
        json.WriteEndObject();
    }
}
