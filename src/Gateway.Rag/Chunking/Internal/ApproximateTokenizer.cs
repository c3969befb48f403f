using Gateway.Core.Embeddings;

namespace Gateway.Rag.Chunking.Internal;

/// <summary>
/// Token spans for a model that does not expose its tokenizer: every run of letters and digits counts one
/// token per 4 characters (the last piece shorter), every other visible character (punctuation, symbols,
/// an emoji) one token. WordPiece and BPE tokenizers average about 4 characters per token on English text
/// and split off punctuation, so chunks cut by these counts rarely pass the model's real limit.
/// </summary>
internal sealed class ApproximateTokenizer : IEmbeddingTokenizer
{
    private const int CharactersPerToken = 4;

    public static ApproximateTokenizer Instance { get; } = new();

    public IReadOnlyList<Range> GetTokenSpans(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var spans = new List<Range>(text.Length / CharactersPerToken);
        var i = 0;
        while (i < text.Length)
        {
            if (char.IsWhiteSpace(text[i]))
            {
                i++;
            }
            else if (IsWordCharacter(text, i))
            {
                var start = i;
                while (i < text.Length && IsWordCharacter(text, i) && i - start < CharactersPerToken)
                {
                    i++;
                }

                spans.Add(start..i);
            }
            else
            {
                var width = char.IsSurrogatePair(text, i) ? 2 : 1;
                spans.Add(i..(i + width));
                i += width;
            }
        }

        return spans;
    }

    private static bool IsWordCharacter(string text, int i) =>
        char.IsLetterOrDigit(text[i]) || char.GetUnicodeCategory(text[i]) is System.Globalization.UnicodeCategory.NonSpacingMark;
}
