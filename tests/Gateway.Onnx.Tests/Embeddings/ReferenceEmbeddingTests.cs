using System.Text.Json;
using Gateway.Onnx.Tests.Infrastructure;

namespace Gateway.Onnx.Tests.Embeddings;

/// <summary>Our pipeline reproduces the model's own embeddings, recorded by an independent pipeline (Data/README.md).</summary>
public sealed class ReferenceEmbeddingTests
{
    public static TheoryData<string> Sentences() => [.. Reference().Keys];

    [Theory]
    [MemberData(nameof(Sentences))]
    public async Task GenerateAsync_OneSentence_MatchesReference(string text)
    {
        var expected = Reference()[text];

        var actual = (await MiniLM.Generator.EmbedAsync(text))[0];

        Assert.Equal(384, actual.Length);
        Assert.True(MiniLM.Cosine(expected, actual) >= 0.9999f, $"cosine {MiniLM.Cosine(expected, actual)} for '{text}'");
    }

    [Fact]
    public async Task GenerateAsync_AllSentencesInOneBatch_MatchReference()
    {
        var reference = Reference();

        var actual = await MiniLM.Generator.EmbedAsync([.. reference.Keys]);

        foreach (var (expected, vector) in reference.Values.Zip(actual))
        {
            Assert.True(MiniLM.Cosine(expected, vector) >= 0.9999f);
        }
    }

    [Fact]
    public async Task GenerateAsync_Vectors_HaveUnitLength()
    {
        var vectors = await MiniLM.Generator.EmbedAsync("cat", "A man is playing a guitar on stage.");

        foreach (var vector in vectors)
        {
            Assert.Equal(1.0, System.Numerics.Tensors.TensorPrimitives.Norm<float>(vector), 4);
        }
    }

    [Fact]
    public async Task GenerateAsync_SimilarPairs_ScoreFarAboveUnrelatedOnes()
    {
        var v = await MiniLM.Generator.EmbedAsync(
            "cat", "kitten", "stock market",
            "A cat is sleeping on the sofa.", "A kitten is napping on the couch.", "The stock market crashed today.");

        // The recorded model's own values: 0.79 / 0.19 for the words, 0.75 / 0.01 for the sentences.
        Assert.InRange(MiniLM.Cosine(v[0], v[1]), 0.75f, 0.82f);
        Assert.InRange(MiniLM.Cosine(v[0], v[2]), 0.10f, 0.25f);
        Assert.InRange(MiniLM.Cosine(v[3], v[4]), 0.70f, 0.80f);
        Assert.InRange(MiniLM.Cosine(v[3], v[5]), -0.10f, 0.10f);
        Assert.True(MiniLM.Cosine(v[3], v[4]) - MiniLM.Cosine(v[3], v[5]) > 0.5f);
    }

    private static Dictionary<string, float[]> Reference()
    {
        using var document = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "Data", "minilm-reference.json")));
        return document.RootElement.GetProperty("sentences").EnumerateArray().ToDictionary(
            sentence => sentence.GetProperty("text").GetString()!,
            sentence => sentence.GetProperty("embedding").EnumerateArray().Select(value => value.GetSingle()).ToArray());
    }
}
