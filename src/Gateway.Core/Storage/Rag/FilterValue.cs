using System.Globalization;

namespace Gateway.Core.Storage.Rag;

/// <summary>
/// A value in a filter clause: a string, a number, a boolean, or (only as the operand of a range) a date
/// written as an ISO-8601 string, which metadata strings are read as when compared with it.
/// </summary>
public sealed record FilterValue
{
    private FilterValue(FilterValueKind kind, string? text, double number, bool boolean, DateTimeOffset date)
    {
        Kind = kind;
        Text = text;
        Number = number;
        Boolean = boolean;
        Date = date;
    }

    /// <summary>Which of the members holds the value.</summary>
    public FilterValueKind Kind { get; }

    /// <summary>The string, for <see cref="FilterValueKind.String"/>; the original text, for <see cref="FilterValueKind.Date"/>.</summary>
    public string? Text { get; }

    /// <summary>The number, for <see cref="FilterValueKind.Number"/>.</summary>
    public double Number { get; }

    /// <summary>The boolean, for <see cref="FilterValueKind.Boolean"/>.</summary>
    public bool Boolean { get; }

    /// <summary>The instant, for <see cref="FilterValueKind.Date"/> (a date without a time is midnight UTC).</summary>
    public DateTimeOffset Date { get; }

    /// <summary>A string value.</summary>
    public static FilterValue OfString(string text) => new(FilterValueKind.String, text ?? throw new ArgumentNullException(nameof(text)), 0, false, default);

    /// <summary>A number value.</summary>
    public static FilterValue OfNumber(double number) => new(FilterValueKind.Number, null, number, false, default);

    /// <summary>A boolean value.</summary>
    public static FilterValue OfBoolean(bool boolean) => new(FilterValueKind.Boolean, null, 0, boolean, default);

    /// <summary>A date value, kept with the text it was read from.</summary>
    public static FilterValue OfDate(DateTimeOffset date, string text) => new(FilterValueKind.Date, text, 0, false, date);

    /// <summary>
    /// Reads <paramref name="text"/> as a date the way filters and metadata are compared: <c>yyyy-MM-dd</c>
    /// (midnight UTC) or an ISO-8601 date and time with <c>Z</c> or an offset (a time without either is UTC).
    /// </summary>
    public static bool TryParseDate(string? text, out DateTimeOffset date)
    {
        date = default;
        if (text is not { Length: >= 10 } || text[4] != '-' || text[7] != '-' || !char.IsAsciiDigit(text[0]))
        {
            return false;
        }

        return DateTimeOffset.TryParse(
            text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out date);
    }
}
