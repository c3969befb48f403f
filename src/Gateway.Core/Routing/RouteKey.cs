using System.Diagnostics.CodeAnalysis;

namespace Gateway.Core.Routing;

/// <summary>
/// The name of a model route, as clients send it in <c>modelKey</c>. Route keys are case-insensitive:
/// the value is kept in lower case, so <c>GPT4</c> and <c>gpt4</c> are the same key.
/// A key is 1–64 characters of ASCII letters, digits, <c>_</c>, <c>-</c> and <c>.</c>.
/// </summary>
public readonly record struct RouteKey
{
    /// <summary>The longest accepted route key.</summary>
    public const int MaxLength = 64;

    private RouteKey(string value) => Value = value;

    /// <summary>The normalised (lower-case) key.</summary>
    public string Value { get; }

    /// <summary>Parses <paramref name="text"/> as a route key.</summary>
    /// <returns><see langword="false"/> when the text is empty, too long or has a character outside the allowed set.</returns>
    public static bool TryParse([NotNullWhen(true)] string? text, out RouteKey key)
    {
        key = default;
        if (string.IsNullOrEmpty(text) || text.Length > MaxLength)
        {
            return false;
        }

        foreach (var c in text)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.'))
            {
                return false;
            }
        }

        key = new RouteKey(text.ToLowerInvariant());
        return true;
    }

    /// <inheritdoc />
    public override string ToString() => Value ?? string.Empty;
}
