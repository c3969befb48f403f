using Gateway.Core.Errors;
using Gateway.Rag.Extraction.Internal;
using UglyToad.PdfPig;
using UglyToad.PdfPig.Content;
using UglyToad.PdfPig.Core;
using UglyToad.PdfPig.DocumentLayoutAnalysis;
using UglyToad.PdfPig.DocumentLayoutAnalysis.PageSegmenter;
using UglyToad.PdfPig.DocumentLayoutAnalysis.ReadingOrderDetector;
using UglyToad.PdfPig.DocumentLayoutAnalysis.WordExtractor;
using UglyToad.PdfPig.Exceptions;

namespace Gateway.Rag.Extraction;

/// <summary>
/// PDF, read by PdfPig with its layout analysis: words by nearest neighbour (so letters placed one by one still
/// make words), blocks by Docstrum, blocks in reading order by the unsupervised detector, so a two-column page
/// reads column by column. Each page with text is a section with its page number; blocks are separated by a
/// blank line, lines by a line break, words by a space. A PDF that needs a password is <c>document_encrypted</c>,
/// one without any text (scanned images) <c>document_has_no_text</c>, one PdfPig cannot parse <c>document_corrupt</c>.
/// </summary>
internal sealed class PdfExtractor : IDocumentExtractor
{
    private static readonly ParsingOptions Options = new() { SkipMissingFonts = true };

    public IReadOnlyList<string> Extensions { get; } = [".pdf"];

    public ExtractedDocument Extract(ReadOnlyMemory<byte> content, string fileName, CancellationToken cancellationToken)
    {
        var text = new ExtractedTextBuilder();
        int pages;
        try
        {
            using var document = PdfDocument.Open(content, Options);
            pages = document.NumberOfPages;
            for (var number = 1; number <= pages; number++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                text.StartSection(page: number);
                foreach (var block in Blocks(document.GetPage(number)))
                {
                    text.AppendPiece(string.Join('\n', block.TextLines.Select(Line).Where(line => line.Length > 0)));
                }
            }
        }
        catch (PdfDocumentEncryptedException)
        {
            throw DocumentExtractionErrors.Encrypted(fileName);
        }
        catch (Exception e) when (e is not (OperationCanceledException or GatewayException))
        {
            // PdfPig reports a broken file with its own format exception, or, deeper in a damaged stream, with
            // whatever the parser met (an index out of range, an invalid cast); each is this file's fault.
            throw DocumentExtractionErrors.Corrupt(fileName, e is PdfDocumentFormatException ? e.Message : $"PdfPig failed to parse it ({e.GetType().Name}: {e.Message})");
        }

        var extracted = text.Build();
        return extracted.Sections.Count > 0
            ? extracted
            : throw DocumentExtractionErrors.NoText(fileName, $": none of its {pages} pages has text (a scanned document needs OCR first).");
    }

    private static IEnumerable<TextBlock> Blocks(Page page)
    {
        var words = page.GetWords(NearestNeighbourWordExtractor.Instance).Where(word => !string.IsNullOrWhiteSpace(word.Text)).ToArray();
        return words.Length == 0 ? [] : UnsupervisedReadingOrderDetector.Instance.Get(DocstrumBoundingBoxes.Instance.GetBlocks(words));
    }

    private static string Line(TextLine line) => string.Join(' ', line.Words.Select(word => word.Text.Trim()).Where(word => word.Length > 0));
}
