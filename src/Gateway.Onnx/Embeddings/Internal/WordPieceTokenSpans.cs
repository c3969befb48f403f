using System.Globalization;
using System.Text;
using Gateway.Core.Embeddings;
using Microsoft.ML.Tokenizers;

namespace Gateway.Onnx.Embeddings.Internal;

/// <summary>
/// The token spans of a model's <see cref="BertTokenizer"/> in the caller's text, for chunking by real
/// token counts. The tokenizer reports offsets into its normalised text (lower-cased, accents stripped,
/// CJK ideographs spaced apart), so each whitespace-separated word is tokenised alone and its normalised
/// characters are traced back to the characters they came from. Should the tokenizer normalise a word
/// other than BERT's rules say, its pieces are spread over it in proportion instead, each span inside its
/// word and in order (a piece then left no character of its own gets an empty span at the word's end).
/// BERT never joins pieces across whitespace, so the pieces are the ones the model reads.
/// </summary>
internal sealed class WordPieceTokenSpans(BertTokenizer tokenizer) : IEmbeddingTokenizer
{
    public IReadOnlyList<Range> GetTokenSpans(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var spans = new List<Range>(text.Length / 4);
        var position = 0;
        while (position < text.Length)
        {
            if (char.IsWhiteSpace(text[position]))
            {
                position++;
                continue;
            }

            var start = position;
            while (position < text.Length && !char.IsWhiteSpace(text[position]))
            {
                position++;
            }

            AddWord(text, start, position - start, spans);
        }

        return spans;
    }

    private void AddWord(string text, int start, int length, List<Range> spans)
    {
        var word = text.AsSpan(start, length);
        var tokens = tokenizer.EncodeToTokens(word, out var normalized);
        var normalizedLength = normalized?.Length ?? length;
        var origins = normalized is null || normalized.Length == length ? null : Origins(word, normalized);
        var cursor = 0;
        foreach (var token in tokens)
        {
            var (offset, count) = token.Offset.GetOffsetAndLength(normalizedLength);
            int from, to;
            if (normalized is null || normalized.Length == length)
            {
                (from, to) = (offset, offset + count);
            }
            else if (origins is not null && count > 0)
            {
                (from, to) = (origins[offset].Start, origins[offset + count - 1].End);
            }
            else
            {
                from = Math.Max((int)((long)offset * length / normalizedLength), cursor);
                to = Math.Min(Math.Max((int)((long)(offset + count) * length / normalizedLength), from + 1), length);
                from = Math.Min(from, to);
            }

            spans.Add(new Range(start + from, start + to));
            cursor = to;
        }
    }

    /// <summary>
    /// For each character of <paramref name="normalized"/>, the span of <paramref name="word"/> it came from,
    /// by BERT's normalisation of one character at a time; <see langword="null"/> when that does not add up to it.
    /// </summary>
    private (int Start, int End)[]? Origins(ReadOnlySpan<char> word, string normalized)
    {
        var origins = new (int Start, int End)[normalized.Length];
        var filled = 0;
        for (var i = 0; i < word.Length;)
        {
            var width = i + 1 < word.Length && char.IsSurrogatePair(word[i], word[i + 1]) ? 2 : 1;
            var produced = NormalizedLength(word.Slice(i, width));
            if (filled + produced > origins.Length)
            {
                return null;
            }

            if (produced == 0 && filled > 0)
            {
                // A mark or control character the tokenizer drops belongs to the character before it.
                origins[filled - 1].End = i + width;
            }

            origins.AsSpan(filled, produced).Fill((i, i + width));
            filled += produced;
            i += width;
        }

        return filled == origins.Length ? origins : null;
    }

    private int NormalizedLength(ReadOnlySpan<char> character)
    {
        var codePoint = char.ConvertToUtf32(character.ToString(), 0);
        if (tokenizer.IndividuallyTokenizeCjk && IsCjkIdeograph(codePoint))
        {
            return character.Length + 2;
        }

        if (char.IsControl(character[0]))
        {
            return 0;
        }

        var text = tokenizer.LowerCaseBeforeTokenization ? character.ToString().ToLowerInvariant() : character.ToString();
        if (!tokenizer.RemoveNonSpacingMarks)
        {
            return text.Length;
        }

        var length = 0;
        foreach (var c in text.Normalize(NormalizationForm.FormD))
        {
            length += CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.NonSpacingMark ? 0 : 1;
        }

        return length;
    }

    /// <summary>The CJK ideograph blocks BERT's basic tokenizer puts spaces around.</summary>
    private static bool IsCjkIdeograph(int c) =>
        c is (>= 0x4E00 and <= 0x9FFF) or (>= 0x3400 and <= 0x4DBF) or (>= 0x20000 and <= 0x2A6DF) or (>= 0x2A700 and <= 0x2B73F)
            or (>= 0x2B740 and <= 0x2B81F) or (>= 0x2B820 and <= 0x2CEAF) or (>= 0xF900 and <= 0xFAFF) or (>= 0x2F800 and <= 0x2FA1F);
}
