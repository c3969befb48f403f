namespace Gateway.Rag.Extraction;

/// <summary>A stretch of an extracted text with one location: the headings above it, its page, or the JSON record it is.</summary>
/// <param name="Start">The offset of its first character.</param>
/// <param name="End">The offset just past its last character.</param>
/// <param name="HeadingPath">The Markdown headings it sits under, outermost first, joined with <c> &gt; </c>.</param>
/// <param name="Page">Its 1-based PDF page.</param>
/// <param name="JsonPath">The JSON path of the value it flattens, e.g. <c>$.items[3]</c>.</param>
internal sealed record ExtractedSection(int Start, int End, string? HeadingPath = null, int? Page = null, string? JsonPath = null);
