namespace Gateway.Rag.Extraction;

/// <summary>
/// Turns a document file into its extracted text and sections: picks the extractor by the file name's ending
/// (ignoring case), reads the stream up to <see cref="RagOptions.MaxDocumentBytes"/>, and refuses a type no
/// extractor reads, a file over the limit, and a file with no text, each naming the file.
/// </summary>
internal sealed class DocumentExtraction
{
    private static readonly IDocumentExtractor[] Extractors =
        [new MarkdownExtractor(), new PlainTextExtractor(), new PdfExtractor(), new JsonExtractor(), new JsonLinesExtractor()];

    private readonly int _maxBytes;

    public DocumentExtraction(int maxBytes)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxBytes, 1);
        _maxBytes = maxBytes;
    }

    /// <summary>The file name endings a document may have, e.g. <c>.md</c>.</summary>
    public static IReadOnlyList<string> SupportedTypes { get; } = [.. Extractors.SelectMany(extractor => extractor.Extensions)];

    /// <summary>The document's text and structure.</summary>
    /// <exception cref="Core.Errors.GatewayException">
    /// <c>unsupported_document_type</c>, <c>payload_too_large</c> (413) past <see cref="RagOptions.MaxDocumentBytes"/>,
    /// <c>document_corrupt</c>, <c>document_encrypted</c>, <c>document_has_no_text</c>.
    /// </exception>
    public async Task<ExtractedDocument> ExtractAsync(Stream content, string fileName, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(content);
        ArgumentException.ThrowIfNullOrWhiteSpace(fileName);
        var extractor = Find(fileName) ?? throw DocumentExtractionErrors.UnsupportedType(fileName, SupportedTypes);
        var bytes = await ReadAsync(content, fileName, cancellationToken).ConfigureAwait(false);
        var extracted = extractor.Extract(bytes, fileName, cancellationToken);
        return extracted.Sections.Any(section => !extracted.Text.AsSpan(section.Start..section.End).IsWhiteSpace())
            ? extracted
            : throw DocumentExtractionErrors.NoText(fileName, ".");
    }

    private static IDocumentExtractor? Find(string fileName)
    {
        var extension = Path.GetExtension(fileName);
        return Array.Find(Extractors, extractor => extractor.Extensions.Contains(extension, StringComparer.OrdinalIgnoreCase));
    }

    private async Task<ReadOnlyMemory<byte>> ReadAsync(Stream content, string fileName, CancellationToken cancellationToken)
    {
        if (content.CanSeek && content.Length - content.Position > _maxBytes)
        {
            throw DocumentExtractionErrors.TooLarge(fileName, content.Length - content.Position, _maxBytes);
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[81_920];
        int read;
        while ((read = await content.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
        {
            if (buffer.Length + read > _maxBytes)
            {
                throw DocumentExtractionErrors.TooLarge(fileName, null, _maxBytes);
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.GetBuffer().AsMemory(0, (int)buffer.Length);
    }
}
