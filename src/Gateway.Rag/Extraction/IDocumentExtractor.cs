namespace Gateway.Rag.Extraction;

/// <summary>Reads one document format into its text, the sections of that text and the spans a chunk should keep whole.</summary>
internal interface IDocumentExtractor
{
    /// <summary>The file name endings it reads, lowercase with their dot (<c>.md</c>).</summary>
    IReadOnlyList<string> Extensions { get; }

    /// <summary>The document's text and structure.</summary>
    /// <param name="content">The whole file, already within <see cref="RagOptions.MaxDocumentBytes"/>.</param>
    /// <param name="fileName">The file's name, for the errors.</param>
    /// <param name="cancellationToken">Stops a long document between its pages or records.</param>
    /// <exception cref="Core.Errors.GatewayException"><c>document_corrupt</c>, <c>document_encrypted</c> or <c>document_has_no_text</c>.</exception>
    ExtractedDocument Extract(ReadOnlyMemory<byte> content, string fileName, CancellationToken cancellationToken);
}
