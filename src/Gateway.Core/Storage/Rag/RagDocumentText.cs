namespace Gateway.Core.Storage.Rag;

/// <summary>A stretch of a document's stored text, with the document it belongs to.</summary>
/// <param name="Document">The document.</param>
/// <param name="Start">The UTF-16 offset of the stretch's first character, as <see cref="ChunkCitation.Start"/> counts.</param>
/// <param name="End">The UTF-16 offset just past its last character.</param>
/// <param name="Length">The length of the whole stored text in UTF-16 characters.</param>
/// <param name="Text">The characters <c>[Start, End)</c> of the stored text.</param>
public sealed record RagDocumentText(RagDocument Document, int Start, int End, int Length, string Text);
