using Gateway.Onnx.Embeddings;
using Gateway.Onnx.Tests.Infrastructure;

namespace Gateway.Onnx.Tests.Embeddings;

/// <summary>Batching by length, padding per batch and truncation change nothing about the vectors.</summary>
public sealed class BatchingTests
{
    private static readonly string LongText = string.Join(' ', Enumerable.Range(0, 400).Select(i => $"word{i % 37} of sentence {i}"));

    private static readonly string[] Mixed =
    [
        "Hi",
        "The committee postponed its decision on the new railway line until the environmental review is finished next spring.",
        LongText,
        "cat",
        "A man is playing a guitar on stage.",
        "Interest rates rose again this quarter, and the markets fell by 3 percent.",
        "Zürich's café served crème brûlée 🍮 — naïve déjà vu!",
        "ok",
        "How do I reset my password?",
        string.Join(' ', Enumerable.Repeat("padding makes batches wide", 20)),
    ];

    [Fact]
    public async Task GenerateAsync_MixedLengthsInOneCall_EqualsOneByOne()
    {
        var batched = await MiniLM.Generator.EmbedAsync(Mixed);

        for (var i = 0; i < Mixed.Length; i++)
        {
            var alone = (await MiniLM.Generator.EmbedAsync(Mixed[i]))[0];
            AssertClose(alone, batched[i], $"input {i}");
        }
    }

    [Fact]
    public async Task GenerateAsync_SmallBatches_EqualOneLargeBatch()
    {
        using var small = BundledEmbeddingModel.Load(new OnnxEmbeddingModelOptions { BatchSize = 3, MaxBatchTokens = 300 });
        var inputs = Mixed.Concat(Mixed.Reverse()).ToArray();

        var expected = await MiniLM.Generator.EmbedAsync(inputs);
        var actual = await small.EmbedAsync(inputs);

        for (var i = 0; i < inputs.Length; i++)
        {
            AssertClose(expected[i], actual[i], $"input {i}");
        }
    }

    [Fact]
    public async Task GenerateAsync_InputPastTheTokenLimit_IsTruncatedAtIt()
    {
        var generator = MiniLM.Generator;
        Assert.Equal(256, generator.MaxInputTokens);
        Assert.Equal(256, generator.Tokenize(LongText).Length);

        // Only what lies past token 256 differs, so the vectors are the same.
        var vectors = await generator.EmbedAsync(LongText, LongText + " and a different ending about volcanoes");

        AssertClose(vectors[0], vectors[1], "truncated inputs");
        var shorter = (await generator.EmbedAsync(LongText[..200]))[0];
        Assert.True(MiniLM.Cosine(vectors[0], shorter) < 0.99f);
    }

    [Fact]
    public async Task GenerateAsync_Usage_CountsTokensAfterTruncation()
    {
        var generator = MiniLM.Generator;

        var embeddings = await generator.GenerateAsync(["cat", LongText]);

        Assert.Equal(3 + 256, embeddings.Usage?.InputTokenCount);
        Assert.All(embeddings, e => Assert.Equal(BundledEmbeddingModel.Name, e.ModelId));
    }

    [Fact]
    public async Task GenerateAsync_ManyConcurrentCallers_GetTheSameVectorsAsOneCaller()
    {
        var expected = await MiniLM.Generator.EmbedAsync(Mixed);

        var results = await Task.WhenAll(Enumerable.Range(0, 4).Select(offset => Task.Run(async () =>
        {
            var rotated = Mixed.Skip(offset).Concat(Mixed.Take(offset)).ToArray();
            return (offset, vectors: await MiniLM.Generator.EmbedAsync(rotated));
        })));

        foreach (var (offset, vectors) in results)
        {
            for (var i = 0; i < Mixed.Length; i++)
            {
                AssertClose(expected[(i + offset) % Mixed.Length], vectors[i], $"caller {offset}, input {i}");
            }
        }
    }

    [Fact]
    public async Task GenerateAsync_CancelledToken_StopsWithoutResult()
    {
        using var cancel = new CancellationTokenSource();
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => MiniLM.Generator.GenerateAsync(Mixed, cancellationToken: cancel.Token));
    }

    [Fact]
    public async Task GenerateAsync_CancelledDuringTheBatches_StopsBeforeTheEnd()
    {
        using var single = BundledEmbeddingModel.Load(new OnnxEmbeddingModelOptions { BatchSize = 1 });
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(50));
        var inputs = Enumerable.Repeat(LongText, 500).ToArray();
        var started = System.Diagnostics.Stopwatch.StartNew();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Task.Run(() => single.GenerateAsync(inputs, cancellationToken: cancel.Token)));

        // 500 runs of 256 tokens take many seconds on 2 cores; cancellation ends it within a run or two.
        Assert.True(started.Elapsed < TimeSpan.FromSeconds(5), $"took {started.Elapsed}");
    }

    private static void AssertClose(float[] expected, float[] actual, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (var d = 0; d < expected.Length; d++)
        {
            Assert.True(Math.Abs(expected[d] - actual[d]) <= 1e-5f, $"{what}: dimension {d} is {actual[d]}, expected {expected[d]}");
        }
    }
}
