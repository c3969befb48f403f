using Gateway.Core.Embeddings;
using Gateway.Core.Storage.Rag;
using Gateway.Rag.Chunking.Internal;

namespace Gateway.Rag.Chunking;

/// <summary>
/// Cuts a document's text into chunks of at most a number of the embedding model's tokens, each next
/// chunk repeating up to an overlap of the previous one's last tokens. A chunk ends before the last
/// Markdown heading in its token window, so sections start chunks; without one, where the text breaks best
/// in the second half of the window: at a paragraph (blank line), then a line break, a sentence end, a word
/// boundary; only a word longer than the whole window is cut inside. An overlap starts at a word boundary and never reaches back over a heading. Chunks never start or end with whitespace, are never
/// empty, and carry their offsets into the original text and the heading path above their start.
/// </summary>
internal static class TextChunker
{
    /// <summary>The chunks of <paramref name="text"/>, in order; none when it holds no token.</summary>
    /// <param name="text">The document's text.</param>
    /// <param name="tokenizer">The embedding model's tokenizer, or <see cref="ApproximateTokenizer"/>.</param>
    /// <param name="chunkTokens">The most tokens per chunk, at least 2.</param>
    /// <param name="overlapTokens">The tokens a chunk repeats of the previous one, less than half of <paramref name="chunkTokens"/>.</param>
    public static IReadOnlyList<TextChunk> Split(string text, IEmbeddingTokenizer tokenizer, int chunkTokens, int overlapTokens)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(tokenizer);
        ArgumentOutOfRangeException.ThrowIfLessThan(chunkTokens, 2);
        ArgumentOutOfRangeException.ThrowIfNegative(overlapTokens);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(overlapTokens * 2, chunkTokens);

        var tokens = TokenBreaks.Read(text, tokenizer.GetTokenSpans(text), MarkdownHeadings.Read(text));
        var chunks = new List<TextChunk>();
        var start = 0;
        while (start < tokens.Count)
        {
            var end = start + chunkTokens >= tokens.Count ? tokens.Count : tokens.BestBreak(start, start + (chunkTokens / 2), start + chunkTokens);
            var from = tokens.Start(start);
            var to = tokens.End(end - 1);
            if (to > from)
            {
                chunks.Add(new TextChunk(text[from..to], new ChunkCitation(from, to, tokens.Headings.PathAt(from)), end - start));
            }

            if (end == tokens.Count)
            {
                break;
            }

            // A new section starts fresh: overlap would carry the previous section's words under the new heading.
            start = overlapTokens == 0 || tokens.BreakBefore(end) == BreakStrength.Heading
                ? end
                : tokens.FirstWordStart(Math.Max(end - overlapTokens, start + 1), end);
        }

        return chunks;
    }
}
