using System.Text;

namespace Gateway.AspNetCore.Metrics;

/// <summary>
/// Turns instrument names and units into Prometheus names: <c>gateway.request.duration</c> with unit
/// <c>s</c> becomes <c>gateway_request_duration_seconds</c>, counter <c>gateway.requests</c> with unit
/// <c>{request}</c> becomes <c>gateway_requests_total</c>.
/// </summary>
internal static class PrometheusNames
{
    private const string TotalSuffix = "_total";

    public static string MetricName(string instrumentName, string? unit, bool isCounter)
    {
        var name = Sanitize(instrumentName);
        if (isCounter && name.EndsWith(TotalSuffix, StringComparison.Ordinal) && name.Length > TotalSuffix.Length)
        {
            // The unit goes before _total, so take it off and put it back at the end.
            name = name[..^TotalSuffix.Length];
        }

        var unitSuffix = UnitSuffix(unit);
        if (unitSuffix.Length > 0 && !name.EndsWith("_" + unitSuffix, StringComparison.Ordinal))
        {
            name = name + "_" + unitSuffix;
        }

        return isCounter ? name + TotalSuffix : name;
    }

    /// <summary>A label name: letters, digits and underscores, not starting with a digit.</summary>
    public static string LabelName(string key)
    {
        var name = Sanitize(key);
        return name.Length == 0 ? "_" : name;
    }

    /// <summary>
    /// The unit's part of the name. Annotations in braces (<c>{request}</c>) and the dimensionless
    /// <c>1</c> add nothing; UCUM's <c>s</c> and <c>By</c> become Prometheus's base units.
    /// </summary>
    internal static string UnitSuffix(string? unit)
    {
        if (string.IsNullOrWhiteSpace(unit))
        {
            return string.Empty;
        }

        var withoutAnnotations = new StringBuilder(unit.Length);
        var depth = 0;
        foreach (var c in unit)
        {
            if (c == '{')
            {
                depth++;
            }
            else if (c == '}')
            {
                depth = Math.Max(0, depth - 1);
            }
            else if (depth == 0)
            {
                withoutAnnotations.Append(c);
            }
        }

        var bare = withoutAnnotations.ToString().Trim();
        return bare switch
        {
            "" or "1" => string.Empty,
            "s" => "seconds",
            "ms" => "milliseconds",
            "By" => "bytes",
            _ => Sanitize(bare.Replace("/", "_per_", StringComparison.Ordinal)).Trim('_'),
        };
    }

    /// <summary>Replaces every character outside <c>[a-zA-Z0-9_]</c> with <c>_</c> and guards a leading digit.</summary>
    private static string Sanitize(string value)
    {
        var builder = new StringBuilder(value.Length + 1);
        foreach (var c in value)
        {
            builder.Append(char.IsAsciiLetterOrDigit(c) ? c : '_');
        }

        if (builder.Length > 0 && char.IsAsciiDigit(builder[0]))
        {
            builder.Insert(0, '_');
        }

        return builder.ToString();
    }
}
