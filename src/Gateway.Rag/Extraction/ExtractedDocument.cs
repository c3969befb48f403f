namespace Gateway.Rag.Extraction;

/// <summary>
/// A document's text as an extractor read it, cut into sections that cover it in order (a chunk never spans
/// two of them, so each chunk's location is its section's), with the spans that a chunk keeps whole where
/// they fit in one: a code block, a table, a paragraph of plain text.
/// </summary>
/// <param name="Text">The extracted text; every offset points into it.</param>
/// <param name="Sections">Non-overlapping, in order of <see cref="ExtractedSection.Start"/>.</param>
/// <param name="KeepWhole">Non-overlapping <c>[start, end)</c> spans of <see cref="Text"/>, in order.</param>
internal sealed record ExtractedDocument(string Text, IReadOnlyList<ExtractedSection> Sections, IReadOnlyList<Range> KeepWhole);
