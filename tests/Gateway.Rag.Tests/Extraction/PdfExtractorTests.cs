using System.Text.RegularExpressions;
using Gateway.Core.Errors;

namespace Gateway.Rag.Tests.Extraction;

/// <summary>PDFs written by PdfPig's builder (and one by hand), read back as files: pages, reading order and the refusals.</summary>
public sealed class PdfExtractorTests : IDisposable
{
    private readonly DocumentFiles _files = new();

    public void Dispose() => _files.Dispose();

    [Fact]
    public async Task Extract_SeveralPages_EachPageIsASectionAndEveryChunkCitesItsPage()
    {
        var pages = Enumerable.Range(1, 4)
            .Select(page => Enumerable.Range(1, 12).Select(line => $"Page {page} line {line} tells of harbour number {page * 100 + line}.").ToArray())
            .ToArray();

        var document = await _files.ExtractAsync("report.pdf", TestPdfs.Pages(pages));

        Assert.Equal([1, 2, 3, 4], document.Sections.Select(section => section.Page));
        var texts = DocumentFiles.SectionTexts(document);
        Assert.All(texts.Select((text, i) => (text, i)), page => Assert.StartsWith($"Page {page.i + 1} line 1 tells of harbour number {(page.i + 1) * 100 + 1}.", page.text, StringComparison.Ordinal));
        Assert.Contains("Page 3 line 12 tells of harbour number 312.", texts[2], StringComparison.Ordinal);
        var chunks = DocumentFiles.Chunks(document, chunkTokens: 40, overlapTokens: 6);
        Assert.True(chunks.Count > 4);
        foreach (var chunk in chunks)
        {
            var page = Assert.IsType<int>(chunk.Citation.Page);
            Assert.All(Regex.Matches(chunk.Text, @"Page (\d)|number (\d)\d\d"), match => Assert.Equal($"{page}", match.Groups[1].Success ? match.Groups[1].Value : match.Groups[2].Value));
        }
    }

    [Fact]
    public async Task Extract_WordsAreSeparated_NotRunTogetherAsPageTextIs()
    {
        var document = await _files.ExtractAsync("words.pdf", TestPdfs.Pages(["Seven quiet owls watch the moon"]));

        Assert.Equal("Seven quiet owls watch the moon", document.Text);
    }

    [Fact]
    public async Task Extract_TwoColumnPage_ReadsTheLeftColumnThenTheRight()
    {
        string[] left = [.. Enumerable.Range(1, 15).Select(i => $"Left column sentence {i} about rivers.")];
        string[] right = [.. Enumerable.Range(1, 15).Select(i => $"Right column sentence {i} about hills.")];

        var document = await _files.ExtractAsync("columns.pdf", TestPdfs.TwoColumns(left, right));

        var lines = document.Text.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal([.. left, .. right], lines);
        Assert.Equal(1, Assert.Single(document.Sections).Page);
    }

    [Fact]
    public async Task Extract_BlankPageBetween_IsSkippedAndTheNextKeepsItsNumber()
    {
        var document = await _files.ExtractAsync("gap.pdf", TestPdfs.Pages(["First page."], [], ["Third page."]));

        Assert.Equal([1, 3], document.Sections.Select(section => section.Page));
        Assert.Equal(["First page.", "Third page."], DocumentFiles.SectionTexts(document));
    }

    [Fact]
    public async Task Extract_ImagesOnly_IsDocumentHasNoText()
    {
        var error = await Assert.ThrowsAsync<GatewayException>(() => _files.ExtractAsync("scan.pdf", TestPdfs.ImagesOnly()));

        Assert.Equal(GatewayErrorCodes.DocumentHasNoText, error.ErrorCode);
        Assert.Contains("scan.pdf", error.Message, StringComparison.Ordinal);
        Assert.Contains("2 pages", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Extract_Encrypted_IsDocumentEncrypted()
    {
        var error = await Assert.ThrowsAsync<GatewayException>(() => _files.ExtractAsync("secret.pdf", TestPdfs.Encrypted()));

        Assert.Equal(GatewayErrorCodes.DocumentEncrypted, error.ErrorCode);
        Assert.Equal(GatewayErrorKind.InvalidRequest, error.Kind);
        Assert.Contains("secret.pdf", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("truncated")]
    [InlineData("garbage")]
    [InlineData("empty")]
    public async Task Extract_Corrupt_IsDocumentCorrupt(string damage)
    {
        var good = TestPdfs.Pages(["A page that will not survive."]);
        var bytes = damage switch
        {
            "truncated" => good[..(good.Length / 2)],
            "garbage" => [.. "%PDF-1.7\n"u8, .. Enumerable.Range(0, 2000).Select(i => (byte)(i * 37 % 251))],
            _ => [],
        };

        var error = await Assert.ThrowsAsync<GatewayException>(() => _files.ExtractAsync("broken.pdf", bytes));

        Assert.Equal(GatewayErrorCodes.DocumentCorrupt, error.ErrorCode);
        Assert.StartsWith("broken.pdf: the document cannot be read: ", error.Message, StringComparison.Ordinal);
    }
}
