using Gateway.Core.Embeddings;
using Gateway.Rag.Chunking;
using Gateway.Rag.Chunking.Internal;
using Gateway.Rag.Tests.Infrastructure;

namespace Gateway.Rag.Tests.Chunking;

/// <summary>Chunks by the bundled model's real tokenizer: offsets, sizes, overlap, boundaries and heading paths.</summary>
public sealed class TextChunkerTests
{
    private static readonly string[] Sentences =
    [
        "The committee postponed its decision on the new railway line until the environmental review is finished.",
        "Interest rates rose again this quarter, and the markets fell by three percent.",
        "Zürich's café served crème brûlée to naïve tourists.",
        "A man is playing a guitar on stage while the audience sings along.",
        "How do I reset my password if I no longer have access to my e-mail?",
        "東京タワー is a communications and observation tower in Tokyo.",
    ];

    [Theory]
    [InlineData(40, 8)]
    [InlineData(64, 0)]
    [InlineData(200, 40)]
    [InlineData(16, 7)]
    public void Split_LongText_ChunksAreTheirOffsetsIntoTheTextAndWithinTheSize(int size, int overlap)
    {
        var text = Document(paragraphs: 12);

        var chunks = TextChunker.Split(text, BundledModel.Tokenizer, size, overlap);

        Assert.True(chunks.Count > 1);
        foreach (var chunk in chunks)
        {
            Assert.Equal(text[chunk.Citation.Start..chunk.Citation.End], chunk.Text);
            Assert.InRange(chunk.TokenCount, 1, size);
            Assert.InRange(BundledModel.Tokenizer.GetTokenSpans(chunk.Text).Count, 1, size);
            Assert.False(string.IsNullOrWhiteSpace(chunk.Text));
            Assert.False(char.IsWhiteSpace(chunk.Text[0]) || char.IsWhiteSpace(chunk.Text[^1]), $"chunk '{chunk.Text}' starts or ends with whitespace");
        }
    }

    [Theory]
    [InlineData(40, 8)]
    [InlineData(64, 0)]
    public void Split_LongText_EveryWordIsInAChunkAndChunksMoveForward(int size, int overlap)
    {
        var text = Document(paragraphs: 8);

        var chunks = TextChunker.Split(text, BundledModel.Tokenizer, size, overlap);

        var covered = new bool[text.Length];
        for (var i = 0; i < chunks.Count; i++)
        {
            Array.Fill(covered, true, chunks[i].Citation.Start, chunks[i].Citation.End - chunks[i].Citation.Start);
            if (i > 0)
            {
                Assert.True(chunks[i].Citation.Start > chunks[i - 1].Citation.Start);
                Assert.True(chunks[i].Citation.End > chunks[i - 1].Citation.End);
            }
        }

        for (var i = 0; i < text.Length; i++)
        {
            Assert.True(covered[i] || char.IsWhiteSpace(text[i]), $"character {i} ('{text[i]}') is in no chunk");
        }
    }

    [Fact]
    public void Split_WithOverlap_EachChunkRepeatsAtMostTheOverlapOfThePreviousFromAWordStart()
    {
        const int overlap = 10;
        var text = string.Join(' ', Enumerable.Range(0, 30).Select(i => Sentences[i % Sentences.Length]));

        var chunks = TextChunker.Split(text, BundledModel.Tokenizer, 50, overlap);

        Assert.True(chunks.Count > 2);
        for (var i = 1; i < chunks.Count; i++)
        {
            var previous = chunks[i - 1].Citation;
            var current = chunks[i].Citation;
            Assert.True(current.Start < previous.End, $"chunk {i} does not overlap the previous one");
            var repeated = text[current.Start..previous.End];
            Assert.InRange(BundledModel.Tokenizer.GetTokenSpans(repeated).Count, 1, overlap);
            Assert.True(char.IsWhiteSpace(text[current.Start - 1]), $"chunk {i} starts inside a word");
        }
    }

    [Fact]
    public void Split_WithoutOverlap_ChunksFollowEachOther()
    {
        var text = Document(paragraphs: 6);

        var chunks = TextChunker.Split(text, BundledModel.Tokenizer, 40, 0);

        for (var i = 1; i < chunks.Count; i++)
        {
            Assert.True(chunks[i].Citation.Start >= chunks[i - 1].Citation.End);
            Assert.True(string.IsNullOrWhiteSpace(text[chunks[i - 1].Citation.End..chunks[i].Citation.Start]));
        }
    }

    [Fact]
    public void Split_ParagraphsShorterThanTheSize_EndsChunksAtParagraphs()
    {
        // Each paragraph is two sentences, about 35 tokens: a window of 60 holds one whole paragraph and part of the next.
        var paragraphs = Enumerable.Range(0, 6).Select(i => $"{Sentences[i % 4]} {Sentences[(i + 1) % 4]}").ToArray();
        var text = string.Join("\n\n", paragraphs);

        var chunks = TextChunker.Split(text, BundledModel.Tokenizer, 60, 0);

        Assert.True(chunks.Count >= 3);
        foreach (var chunk in chunks)
        {
            var (start, end) = (chunk.Citation.Start, chunk.Citation.End);
            Assert.True(start == 0 || text[..start].EndsWith("\n\n", StringComparison.Ordinal), $"'{chunk.Text}' does not start a paragraph");
            Assert.True(end == text.Length || text[end..].StartsWith("\n\n", StringComparison.Ordinal), $"'{chunk.Text}' does not end a paragraph");
        }
    }

    [Fact]
    public void Split_OneLongParagraph_EndsChunksAtSentences()
    {
        var text = string.Join(' ', Enumerable.Range(0, 20).Select(i => Sentences[i % 5]));

        var chunks = TextChunker.Split(text, BundledModel.Tokenizer, 60, 0);

        Assert.True(chunks.Count > 3);
        Assert.All(chunks, chunk => Assert.True(chunk.Text.EndsWith('.') || chunk.Text.EndsWith('?'), $"'{chunk.Text}' does not end a sentence"));
    }

    [Fact]
    public void Split_MarkdownHeadings_StartChunksAndGiveTheirPath()
    {
        var section = string.Join(' ', Sentences.Take(3));
        var text = $"""
            {string.Join(' ', Sentences.Skip(3))}

            # Guide

            {section}

            ## Install

            {section}

            ```
            # not a heading inside code
            ```

            ### On Linux ###

            {section}

            ## Use

            {section}
            """;

        var chunks = TextChunker.Split(text, BundledModel.Tokenizer, 80, 10);

        Assert.Equal([null, "Guide", "Guide > Install", "Guide > Install > On Linux", "Guide > Use"], chunks.Select(chunk => chunk.Citation.HeadingPath));
        Assert.All(chunks.Skip(1), chunk => Assert.StartsWith("#", chunk.Text, StringComparison.Ordinal));
    }

    [Fact]
    public void Split_ShortTextUnderSeveralHeadings_IsOneChunkPerSectionWithItsOwnPath()
    {
        const string text = "# Leave\n\nThirty days a year.\n\n## Sick leave\n\nAs needed.\n\n# Expenses\n\nKeep receipts.";

        var chunks = TextChunker.Split(text, BundledModel.Tokenizer, 200, 20);

        Assert.Equal(["Leave", "Leave > Sick leave", "Expenses"], chunks.Select(chunk => chunk.Citation.HeadingPath));
        Assert.Equal(["# Leave\n\nThirty days a year.", "## Sick leave\n\nAs needed.", "# Expenses\n\nKeep receipts."], chunks.Select(chunk => chunk.Text));
    }

    [Fact]
    public void Split_HeadingsWithNoTextOfTheirOwn_FoldIntoTheNextSectionsChunk()
    {
        const string text = "# Harbour guide\n\n## Tides\n\nHigh water at noon.\n\n## Moorings\n\n### North pier\n\nYellow buoys.\n\n# Index";

        var chunks = TextChunker.Split(text, BundledModel.Tokenizer, 200, 20);

        Assert.Equal(["Harbour guide > Tides", "Harbour guide > Moorings > North pier", "Index"], chunks.Select(chunk => chunk.Citation.HeadingPath));
        Assert.Equal(
            ["# Harbour guide\n\n## Tides\n\nHigh water at noon.", "## Moorings\n\n### North pier\n\nYellow buoys.", "# Index"],
            chunks.Select(chunk => chunk.Text));
        Assert.All(chunks, chunk => Assert.Equal(chunk.Text, text[chunk.Citation.Start..chunk.Citation.End]));
    }

    [Fact]
    public void Split_AWordLongerThanTheSize_IsCutInsideIt()
    {
        var text = "start " + string.Concat(Enumerable.Repeat("abcdefghij", 40)) + " end";

        var chunks = TextChunker.Split(text, ApproximateTokenizer.Instance, 20, 4);

        Assert.True(chunks.Count > 4);
        Assert.All(chunks, chunk => Assert.InRange(chunk.TokenCount, 1, 20));
        Assert.Equal("end", chunks[^1].Text[^3..]);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   \n\n\t  ")]
    public void Split_NoWords_IsNoChunks(string text) =>
        Assert.Empty(TextChunker.Split(text, BundledModel.Tokenizer, 40, 8));

    [Fact]
    public void Split_ShortText_IsOneChunkOfItsWordsTrimmed()
    {
        var chunk = Assert.Single(TextChunker.Split("\n  Hello there, world.  \n", BundledModel.Tokenizer, 40, 8));

        Assert.Equal("Hello there, world.", chunk.Text);
        Assert.Equal(3, chunk.Citation.Start);
        Assert.Equal(5, chunk.TokenCount);
    }

    [Fact]
    public void Split_ApproximateTokenizer_ChunksRoundTripToo()
    {
        var text = Document(paragraphs: 5);

        var chunks = TextChunker.Split(text, ApproximateTokenizer.Instance, 48, 12);

        Assert.True(chunks.Count > 1);
        Assert.All(chunks, chunk => Assert.Equal(text[chunk.Citation.Start..chunk.Citation.End], chunk.Text));
        Assert.All(chunks, chunk => Assert.InRange(ApproximateTokenizer.Instance.GetTokenSpans(chunk.Text).Count, 1, 48));
    }

    [Fact]
    public void ApproximateTokenizer_CountsFourCharactersAWordPieceAndEachMarkOne()
    {
        const string text = "Hello, wonderful world 🍮!";

        IEmbeddingTokenizer tokenizer = ApproximateTokenizer.Instance;

        Assert.Equal(["Hell", "o", ",", "wond", "erfu", "l", "worl", "d", "🍮", "!"], tokenizer.GetTokenSpans(text).Select(span => text[span]));
    }

    private static string Document(int paragraphs) => string.Join(
        "\n\n",
        Enumerable.Range(0, paragraphs).Select(p => string.Join(' ', Enumerable.Range(0, 2 + (p % 4)).Select(s => Sentences[(p + s) % Sentences.Length]))));
}
