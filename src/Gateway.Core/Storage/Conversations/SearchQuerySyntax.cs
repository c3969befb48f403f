using System.Text;
using Gateway.Core.Errors;

namespace Gateway.Core.Storage.Conversations;

/// <summary>
/// The search syntax users type, a small safe subset of what search engines accept:
/// words (all must match), <c>"a phrase"</c>, <c>prefix*</c> and <c>-excluded</c> (a word or a
/// phrase). Anything else is plain text: operators of the backend (<c>AND</c>, <c>NEAR</c>,
/// <c>column:</c>, parentheses) have no meaning and are searched for as words.
/// </summary>
public static class SearchQuerySyntax
{
    /// <summary>The longest query text accepted, in characters.</summary>
    public const int MaxLength = 1_000;

    /// <summary>The most terms one query may have.</summary>
    public const int MaxTerms = 16;

    /// <summary>Parses <paramref name="text"/>.</summary>
    /// <exception cref="GatewayException">
    /// <see cref="GatewayErrorCodes.InvalidSearchQuery"/>: empty, too long, too many terms, or only exclusions.
    /// </exception>
    public static SearchExpression Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            throw Invalid("q: expected the text to search for.");
        }

        if (text.Length > MaxLength)
        {
            throw Invalid($"q: at most {MaxLength} characters are accepted, got {text.Length}.");
        }

        var required = new List<SearchTerm>();
        var excluded = new List<SearchTerm>();
        var position = 0;
        while (position < text.Length)
        {
            if (char.IsWhiteSpace(text[position]))
            {
                position++;
                continue;
            }

            var exclude = text[position] == '-' && position + 1 < text.Length && !char.IsWhiteSpace(text[position + 1]);
            if (exclude)
            {
                position++;
            }

            string raw;
            if (text[position] == '"')
            {
                // A phrase runs to the closing quote; an unclosed one runs to the end of the text.
                var close = text.IndexOf('"', position + 1);
                raw = close < 0 ? text[(position + 1)..] : text[(position + 1)..close];
                position = close < 0 ? text.Length : close + 1;
            }
            else
            {
                var end = position;
                while (end < text.Length && !char.IsWhiteSpace(text[end]))
                {
                    end++;
                }

                raw = text[position..end];
                position = end;
            }

            var isPrefix = raw.EndsWith('*');
            if (position < text.Length && text[position] == '*')
            {
                // "a phrase"* : a prefix on the phrase's last word.
                isPrefix = true;
                position++;
            }

            var words = Normalize(raw.TrimEnd('*'));
            if (words.Length == 0)
            {
                continue;
            }

            (exclude ? excluded : required).Add(new SearchTerm(words, isPrefix));
            if (required.Count + excluded.Count > MaxTerms)
            {
                throw Invalid($"q: at most {MaxTerms} terms are accepted.");
            }
        }

        if (required.Count == 0)
        {
            throw Invalid(excluded.Count == 0
                ? "q: the text has no letters or digits to search for."
                : "q: a query needs at least one term to find, not only terms to exclude (-word).");
        }

        return new SearchExpression(required, excluded);
    }

    // Keeps letters, digits and the joiners inside words; everything else separates words. What
    // remains is only words and single spaces, so no backend can read an operator into it.
    private static string Normalize(string raw)
    {
        var builder = new StringBuilder(raw.Length);
        var pendingSpace = false;
        foreach (var c in raw)
        {
            if (char.IsLetterOrDigit(c) || c is '_' || char.GetUnicodeCategory(c) is System.Globalization.UnicodeCategory.NonSpacingMark)
            {
                if (pendingSpace && builder.Length > 0)
                {
                    builder.Append(' ');
                }

                builder.Append(c);
                pendingSpace = false;
            }
            else
            {
                pendingSpace = true;
            }
        }

        return builder.ToString();
    }

    private static GatewayException Invalid(string message) =>
        new(GatewayErrorKind.InvalidRequest, GatewayErrorCodes.InvalidSearchQuery, message,
            new Dictionary<string, object?> { ["field"] = "q" });
}
