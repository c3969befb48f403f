using System.Globalization;
using Gateway.Core.Errors;
using Microsoft.AspNetCore.Http;

namespace Gateway.AspNetCore.Internal;

/// <summary>
/// Reads query-string parameters with the gateway's errors: a value that does not parse is a 400
/// <c>invalid_request</c> naming the parameter, not the framework's bare 400.
/// </summary>
internal static class QueryParameters
{
    public static string? String(HttpRequest request, string name) =>
        request.Query.TryGetValue(name, out var values) && !string.IsNullOrEmpty(values[^1]) ? values[^1] : null;

    public static int Int(HttpRequest request, string name, int defaultValue)
    {
        var text = String(request, name);
        if (text is null)
        {
            return defaultValue;
        }

        return int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw GatewayException.InvalidField(name, $"'{text}' is not a whole number.");
    }

    /// <summary><c>true</c> or <c>false</c>; absent is <see langword="false"/>.</summary>
    public static bool Bool(HttpRequest request, string name)
    {
        var text = String(request, name);
        if (text is null)
        {
            return false;
        }

        return bool.TryParse(text, out var value)
            ? value
            : throw GatewayException.InvalidField(name, $"'{text}' is not true or false.");
    }

    /// <summary><c>true</c>/<c>false</c>, or <c>all</c> for <see langword="null"/> (no filter).</summary>
    public static bool? BoolOrAll(HttpRequest request, string name, bool? defaultValue)
    {
        var text = String(request, name);
        if (text is null)
        {
            return defaultValue;
        }

        if (string.Equals(text, "all", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        return bool.TryParse(text, out var value)
            ? value
            : throw GatewayException.InvalidField(name, $"'{text}' is not one of true, false or all.");
    }

    /// <summary>Every value of a list parameter, whether repeated (<c>ids=a&amp;ids=b</c>) or comma-separated (<c>ids=a,b</c>).</summary>
    public static List<string>? List(HttpRequest request, string name)
    {
        if (!request.Query.TryGetValue(name, out var values))
        {
            return null;
        }

        var items = new List<string>();
        foreach (var value in values)
        {
            if (value is not null)
            {
                items.AddRange(value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
            }
        }

        return items;
    }
}
