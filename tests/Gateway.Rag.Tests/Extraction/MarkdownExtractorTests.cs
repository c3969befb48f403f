namespace Gateway.Rag.Tests.Extraction;

/// <summary>Markdown files: sections by headings with their paths, and code blocks and tables kept whole.</summary>
public sealed class MarkdownExtractorTests : IDisposable
{
    private const string Words = "Rivers carry water from the hills down to the sea, and towns grow along their banks.";

    private readonly DocumentFiles _files = new();

    public void Dispose() => _files.Dispose();

    [Fact]
    public async Task Extract_NestedHeadings_EveryChunkCarriesThePathOfItsOwnSection()
    {
        const string markdown = """
            Preface before any heading.

            # Guide

            Short guide text.

            ## Install

            Install text.

            ### On Linux ###

            Linux text.

            Setext heading
            --------------

            Setext text.

            # Reference

            Reference text.
            """;

        var document = await _files.ExtractAsync("guide.md", markdown);

        Assert.Equal(markdown, document.Text);
        var chunks = DocumentFiles.Chunks(document, chunkTokens: 200);
        Assert.Equal(
            [null, "Guide", "Guide > Install", "Guide > Install > On Linux", "Guide > Setext heading", "Reference"],
            chunks.Select(chunk => chunk.Citation.HeadingPath));
        Assert.Equal(["Preface before any heading.", "# Guide\n\nShort guide text.", "## Install\n\nInstall text."], chunks.Take(3).Select(chunk => chunk.Text));
    }

    [Fact]
    public async Task Extract_FencedCodeBlockAndTable_AreNotCutWhereTheyFitAChunk()
    {
        var code = string.Join('\n', Enumerable.Range(1, 8).Select(i => $"    let value{i} = compute({i}, \"step {i}\");"));
        var table = "| name | depth | length |\n|---|---|---|\n" + string.Join('\n', Enumerable.Range(1, 6).Select(i => $"| river {i} | {i * 3} m | {i * 40} km |"));
        var markdown = $"# Code\n\n{Words} {Words}\n\n```rust\n{code}\n# not a heading\n```\n\n{Words}\n\n{table}\n\n{Words} {Words} {Words}\n";

        var document = await _files.ExtractAsync("code.md", markdown);

        var fence = $"```rust\n{code}\n# not a heading\n```";
        Assert.Equal([markdown.IndexOf(fence, StringComparison.Ordinal)..(markdown.IndexOf(fence, StringComparison.Ordinal) + fence.Length), markdown.IndexOf(table, StringComparison.Ordinal)..(markdown.IndexOf(table, StringComparison.Ordinal) + table.Length)], document.KeepWhole);
        // The code block is about 130 approximate tokens, the table about 90.
        var chunks = DocumentFiles.Chunks(document, chunkTokens: 160, overlapTokens: 10);
        Assert.Contains(chunks, chunk => chunk.Text.Contains(fence, StringComparison.Ordinal));
        Assert.Contains(chunks, chunk => chunk.Text.Contains(table, StringComparison.Ordinal));
        Assert.All(chunks, chunk => Assert.Equal("Code", chunk.Citation.HeadingPath));
        Assert.DoesNotContain(chunks, chunk => chunk.Text.Contains("let value1", StringComparison.Ordinal) && !chunk.Text.Contains(fence, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Extract_CodeBlockLongerThanAChunk_IsCutLikeOtherText()
    {
        var code = string.Join('\n', Enumerable.Range(1, 60).Select(i => $"print({i})"));
        var document = await _files.ExtractAsync("long.md", $"```\n{code}\n```\n");

        var chunks = DocumentFiles.Chunks(document, chunkTokens: 40, overlapTokens: 0);

        Assert.True(chunks.Count > 3);
        Assert.All(chunks, chunk => Assert.InRange(chunk.TokenCount, 1, 40));
    }

    [Fact]
    public async Task Extract_ByteOrderMarkAndWindowsLineEnds_OffsetsStillMatch()
    {
        var markdown = "# Title\r\n\r\nFirst paragraph.\r\n\r\n## Part\r\n\r\nSecond paragraph.\r\n";

        var document = await _files.ExtractAsync("windows.md", [.. System.Text.Encoding.UTF8.Preamble, .. System.Text.Encoding.UTF8.GetBytes(markdown)]);

        Assert.Equal(markdown, document.Text);
        Assert.Equal(["Title", "Title > Part"], DocumentFiles.Chunks(document).Select(chunk => chunk.Citation.HeadingPath));
    }
}
