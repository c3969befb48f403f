using System.Buffers;
using System.Globalization;
using System.Text;

namespace Gateway.AspNetCore.Metrics;

/// <summary>Pieces of the Prometheus text exposition format (version 0.0.4), written as UTF-8.</summary>
internal static class PrometheusText
{
    /// <summary>A sample value: Go's float syntax, with <c>+Inf</c>, <c>-Inf</c> and <c>NaN</c> spelled Prometheus's way.</summary>
    public static void WriteValue(IBufferWriter<byte> output, double value)
    {
        if (double.IsPositiveInfinity(value))
        {
            output.Write("+Inf"u8);
        }
        else if (double.IsNegativeInfinity(value))
        {
            output.Write("-Inf"u8);
        }
        else if (double.IsNaN(value))
        {
            output.Write("NaN"u8);
        }
        else
        {
            // The shortest text that round-trips, e.g. 0.005, 2, 1E-07; Prometheus parses all of them.
            var span = output.GetSpan(32);
            value.TryFormat(span, out var written, provider: CultureInfo.InvariantCulture);
            output.Advance(written);
        }
    }

    public static void WriteValue(IBufferWriter<byte> output, long value)
    {
        var span = output.GetSpan(20);
        value.TryFormat(span, out var written, provider: CultureInfo.InvariantCulture);
        output.Advance(written);
    }

    public static string FormatValue(double value) => double.IsPositiveInfinity(value)
        ? "+Inf"
        : value.ToString(CultureInfo.InvariantCulture);

    /// <summary>Escapes <c># HELP</c> text: backslash and line feed.</summary>
    public static string EscapeHelp(string text) =>
        text.Replace("\\", @"\\", StringComparison.Ordinal).Replace("\n", @"\n", StringComparison.Ordinal);

    /// <summary>Escapes a label value: backslash, double quote and line feed.</summary>
    public static string EscapeLabelValue(string text)
    {
        if (text.AsSpan().IndexOfAny("\\\"\n") < 0)
        {
            return text;
        }

        var builder = new StringBuilder(text.Length + 8);
        foreach (var c in text)
        {
            _ = c switch
            {
                '\\' => builder.Append(@"\\"),
                '"' => builder.Append("\\\""),
                '\n' => builder.Append(@"\n"),
                _ => builder.Append(c),
            };
        }

        return builder.ToString();
    }

    /// <summary>A tag value as label text: strings as they are, numbers and other formattables in the invariant culture.</summary>
    public static string LabelValue(object? value) => value switch
    {
        null => string.Empty,
        string text => text,
        bool flag => flag ? "true" : "false",
        IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? string.Empty,
    };
}
