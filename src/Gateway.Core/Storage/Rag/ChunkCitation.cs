namespace Gateway.Core.Storage.Rag;

/// <summary>Where a chunk's text sits in its document, so an answer can point at the source.</summary>
/// <param name="Start">The UTF-16 offset of the chunk's first character in the document's text.</param>
/// <param name="End">The UTF-16 offset just past its last character.</param>
/// <param name="HeadingPath">The headings above it (outermost first, joined with <c> &gt; </c>), when the document has them.</param>
/// <param name="Page">The 1-based page it starts on, when the document has pages.</param>
/// <param name="JsonPath">The JSON path of the record it flattens (e.g. <c>$.items[3]</c>), when the document is JSON.</param>
public sealed record ChunkCitation(int Start, int End, string? HeadingPath = null, int? Page = null, string? JsonPath = null);
