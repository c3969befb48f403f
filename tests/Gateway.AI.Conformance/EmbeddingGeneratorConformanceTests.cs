using Microsoft.Extensions.AI;

namespace Gateway.AI.Conformance;

/// <summary>
/// What every <see cref="IEmbeddingGenerator{TInput, TEmbedding}"/> of text must do: one vector per input, in input
/// order and of the declared dimensions, the same vector for a text alone or in a batch, finite values (of unit length
/// when the generator says so) that put similar texts nearer than unrelated ones, an empty result for no input,
/// cancellation honoured, and its metadata from <see cref="IEmbeddingGenerator.GetService"/>. A generator's test class
/// subclasses it; nothing is overridden.
/// </summary>
public abstract class EmbeddingGeneratorConformanceTests
{
    private static readonly string[] Texts =
    [
        "The cat sits on the mat.",
        "Quarterly revenue grew by five percent.",
        "A kitten is sitting on a rug.",
        "Rust and C# both have generics.",
        "Der Hund schläft.",
    ];

    /// <summary>The generator under test; shared by the tests, so it must be safe to call concurrently.</summary>
    protected abstract IEmbeddingGenerator<string, Embedding<float>> Generator { get; }

    /// <summary>The length of every vector.</summary>
    protected abstract int Dimensions { get; }

    /// <summary>Whether the generator declares its vectors normalised to length 1 (as sentence-transformers models with a Normalize step are).</summary>
    protected abstract bool ReturnsUnitVectors { get; }

    [Fact]
    public async Task GenerateAsync_OneVectorPerInput_OfTheDeclaredDimensions()
    {
        var embeddings = await Generator.GenerateAsync(Texts);

        Assert.Equal(Texts.Length, embeddings.Count);
        Assert.All(embeddings, embedding => Assert.Equal(Dimensions, embedding.Vector.Length));
        Assert.Equal(Dimensions, Generator.GetService<EmbeddingGeneratorMetadata>()?.DefaultModelDimensions);
    }

    [Fact]
    public async Task GenerateAsync_ABatch_KeepsInputOrder_AndEachVectorIsTheOneOfItsTextAlone()
    {
        var batch = await Generator.GenerateAsync(Texts);

        for (var i = 0; i < Texts.Length; i++)
        {
            var alone = await Generator.GenerateVectorAsync(Texts[i]);
            Assert.True(
                Cosine(alone.Span, batch[i].Vector.Span) > 0.9999f,
                $"input {i} ('{Texts[i]}') got another vector in the batch than alone");
        }

        var reversed = await Generator.GenerateAsync(Enumerable.Reverse(Texts));
        for (var i = 0; i < Texts.Length; i++)
        {
            Assert.True(Cosine(batch[i].Vector.Span, reversed[Texts.Length - 1 - i].Vector.Span) > 0.9999f);
        }
    }

    [Fact]
    public async Task Vectors_AreFiniteAndNotZero_UnitLengthWhenDeclared_AndSimilarTextsAreNearer()
    {
        var embeddings = await Generator.GenerateAsync(Texts);

        foreach (var embedding in embeddings)
        {
            var vector = embedding.Vector.Span;
            Assert.All(vector.ToArray(), value => Assert.True(float.IsFinite(value)));
            var norm = Norm(vector);
            Assert.True(norm > 1e-3f, $"a vector of length {norm}");
            if (ReturnsUnitVectors)
            {
                Assert.InRange(norm, 0.999f, 1.001f);
            }
        }

        var cat = embeddings[0].Vector.Span;
        Assert.True(
            Cosine(cat, embeddings[2].Vector.Span) > Cosine(cat, embeddings[1].Vector.Span),
            "a cat on a mat should be nearer a kitten on a rug than revenue growth");
    }

    [Fact]
    public async Task GenerateAsync_NoInput_NoVectors()
    {
        var embeddings = await Generator.GenerateAsync([]);

        Assert.Empty(embeddings);
    }

    [Fact]
    public async Task GenerateAsync_Cancelled_ThrowsOperationCanceled()
    {
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Generator.GenerateAsync(Texts, cancellationToken: cancelled.Token));
    }

    [Fact]
    public async Task GenerateAsync_ReportsTheInputTokens_WhenItReportsUsage()
    {
        var one = await Generator.GenerateAsync(Texts[..1]);
        var all = await Generator.GenerateAsync(Texts);

        Assert.Equal(one.Usage is null, all.Usage is null);
        if (one.Usage is not null && all.Usage is not null)
        {
            Assert.True(one.Usage.InputTokenCount > 0);
            Assert.True(all.Usage.InputTokenCount > one.Usage.InputTokenCount);
        }
    }

    [Fact]
    public void GetService_ReturnsTheMetadataAndTheGenerator_AndNothingForAKeyOrAnUnknownType()
    {
        var metadata = Generator.GetService<EmbeddingGeneratorMetadata>();

        Assert.NotNull(metadata);
        Assert.False(string.IsNullOrEmpty(metadata.ProviderName));
        Assert.False(string.IsNullOrEmpty(metadata.DefaultModelId));
        Assert.Same(Generator, Generator.GetService<IEmbeddingGenerator<string, Embedding<float>>>());
        Assert.Null(Generator.GetService<EmbeddingGeneratorMetadata>("a key"));
        Assert.Null(Generator.GetService(typeof(StringComparer)));
    }

    private static float Norm(ReadOnlySpan<float> vector) => MathF.Sqrt(Dot(vector, vector));

    private static float Cosine(ReadOnlySpan<float> a, ReadOnlySpan<float> b) => Dot(a, b) / (Norm(a) * Norm(b));

    private static float Dot(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        Assert.Equal(a.Length, b.Length);
        var sum = 0f;
        for (var i = 0; i < a.Length; i++)
        {
            sum += a[i] * b[i];
        }

        return sum;
    }
}
