namespace Gateway.Rag.Tests.Extraction;

/// <summary>Plain text files: paragraphs end chunks, and a <c>#</c> is only a character.</summary>
public sealed class PlainTextExtractorTests : IDisposable
{
    private readonly DocumentFiles _files = new();

    public void Dispose() => _files.Dispose();

    [Fact]
    public async Task Extract_Paragraphs_ChunksEndBetweenParagraphsWhereTheyFit()
    {
        // Paragraphs of about 20 to 45 approximate tokens; a chunk of 64 holds one or two, never a part of one.
        var paragraphs = Enumerable.Range(1, 10)
            .Select(p => string.Join(' ', Enumerable.Range(0, 2 + (p % 3)).Select(s => $"Paragraph {p} sentence {s} walks along the shore.")))
            .ToArray();
        var text = "\n" + string.Join("\n\n", paragraphs) + "\n";

        var document = await _files.ExtractAsync("notes.txt", text);

        Assert.Equal(text, document.Text);
        Assert.Equal(paragraphs.Length, document.KeepWhole.Count);
        var chunks = DocumentFiles.Chunks(document, chunkTokens: 64, overlapTokens: 8);
        Assert.True(chunks.Count > 3);
        foreach (var chunk in chunks)
        {
            Assert.All(chunk.Text.Split("\n\n"), part => Assert.Contains(part, paragraphs));
            Assert.Null(chunk.Citation.HeadingPath);
            Assert.Null(chunk.Citation.Page);
        }
    }

    [Fact]
    public async Task Extract_HashAtALineStart_IsNoHeading()
    {
        var document = await _files.ExtractAsync("plain.txt", "# not a heading\n\nJust text.");

        var chunk = Assert.Single(DocumentFiles.Chunks(document));
        Assert.Null(chunk.Citation.HeadingPath);
        Assert.Equal("# not a heading\n\nJust text.", chunk.Text);
    }
}
