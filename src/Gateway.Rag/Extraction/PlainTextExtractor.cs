using Gateway.Rag.Extraction.Internal;

namespace Gateway.Rag.Extraction;

/// <summary>
/// Plain text: one section, the file's own text, with each paragraph (lines between blank lines) kept whole
/// where it fits a chunk, so chunks end between paragraphs. A <c>#</c> at a line start is just text.
/// </summary>
internal sealed class PlainTextExtractor : IDocumentExtractor
{
    public IReadOnlyList<string> Extensions { get; } = [".txt", ".text"];

    public ExtractedDocument Extract(ReadOnlyMemory<byte> content, string fileName, CancellationToken cancellationToken) =>
        Read(Utf8Text.Decode(content, fileName));

    public static ExtractedDocument Read(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var paragraphs = new List<Range>();
        int? paragraphStart = null;
        var paragraphEnd = 0;
        for (var lineStart = 0; lineStart < text.Length;)
        {
            var lineEnd = text.IndexOf('\n', lineStart);
            lineEnd = lineEnd < 0 ? text.Length : lineEnd;
            var line = text.AsSpan(lineStart, lineEnd - lineStart);
            if (line.IsWhiteSpace())
            {
                AddParagraph();
            }
            else
            {
                paragraphStart ??= lineStart + (line.Length - line.TrimStart().Length);
                paragraphEnd = lineStart + line.TrimEnd().Length;
            }

            lineStart = lineEnd + 1;
        }

        AddParagraph();
        return new ExtractedDocument(text, text.Length == 0 ? [] : [new ExtractedSection(0, text.Length)], paragraphs);

        void AddParagraph()
        {
            if (paragraphStart is { } start)
            {
                paragraphs.Add(start..paragraphEnd);
                paragraphStart = null;
            }
        }
    }
}
