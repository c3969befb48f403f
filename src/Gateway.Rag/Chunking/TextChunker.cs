using Gateway.Core.Embeddings;
using Gateway.Core.Storage.Rag;
using Gateway.Rag.Chunking.Internal;
using Gateway.Rag.Extraction;

namespace Gateway.Rag.Chunking;

/// <summary>
/// Cuts an extracted document into chunks of at most a number of the embedding model's tokens, section by
/// section: a chunk never spans two sections (two headings' sections, two pages, two JSON records), so its
/// citation's heading path, page and JSON path are its section's, and no overlap reaches back into the section
/// before. Within a section, each next chunk repeats up to an overlap of the previous one's last tokens; a chunk
/// ends before a span to keep whole (a code block, a table, a paragraph of plain text) that it cannot hold but
/// the next chunk can, else where the text breaks best in the second half of the window: at a paragraph (blank
/// line), then a line break, a sentence end, a word boundary, never inside a span kept whole; only a word
/// longer than the whole window is cut inside. An overlap starts at a word boundary, never inside a span kept
/// whole. Chunks never start or end with whitespace, are never empty, and carry their offsets into the text.
/// </summary>
internal static class TextChunker
{
    /// <summary>The chunks of a Markdown (or plain) text, as <see cref="MarkdownExtractor"/> reads it.</summary>
    public static IReadOnlyList<TextChunk> Split(string text, IEmbeddingTokenizer tokenizer, int chunkTokens, int overlapTokens) =>
        Split(MarkdownExtractor.Read(text ?? throw new ArgumentNullException(nameof(text))), tokenizer, chunkTokens, overlapTokens);

    /// <summary>The chunks of <paramref name="document"/>, in order; none when it holds no token.</summary>
    /// <param name="document">The extracted text with its sections and the spans to keep whole.</param>
    /// <param name="tokenizer">The embedding model's tokenizer, or <see cref="ApproximateTokenizer"/>.</param>
    /// <param name="chunkTokens">The most tokens per chunk, at least 2.</param>
    /// <param name="overlapTokens">The tokens a chunk repeats of the previous one, less than half of <paramref name="chunkTokens"/>.</param>
    public static IReadOnlyList<TextChunk> Split(ExtractedDocument document, IEmbeddingTokenizer tokenizer, int chunkTokens, int overlapTokens)
    {
        ArgumentNullException.ThrowIfNull(document);
        ArgumentNullException.ThrowIfNull(tokenizer);
        ArgumentOutOfRangeException.ThrowIfLessThan(chunkTokens, 2);
        ArgumentOutOfRangeException.ThrowIfNegative(overlapTokens);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(overlapTokens * 2, chunkTokens);

        var text = document.Text;
        var tokens = TokenBreaks.Read(text, tokenizer.GetTokenSpans(text), document.KeepWhole, chunkTokens);
        var chunks = new List<TextChunk>();
        foreach (var section in document.Sections)
        {
            var (start, last) = tokens.Within(section.Start, section.End);
            while (start < last)
            {
                var end = start + chunkTokens >= last ? last : tokens.BestBreak(start, start + (chunkTokens / 2), start + chunkTokens);
                var from = tokens.Start(start);
                var to = tokens.End(end - 1);
                if (to > from)
                {
                    chunks.Add(new TextChunk(text[from..to], new ChunkCitation(from, to, section.HeadingPath, section.Page, section.JsonPath), end - start));
                }

                if (end == last)
                {
                    break;
                }

                start = overlapTokens == 0 ? end : tokens.OverlapStart(Math.Max(end - overlapTokens, start + 1), end);
            }
        }

        return chunks;
    }
}
