using System.Globalization;
using System.Text.Json;

namespace Gateway.Rag.Extraction.Internal;

/// <summary>
/// Writes a JSON value as lines of <c>path: value</c>, one per scalar (and empty object or array), each path
/// relative to its record. A record is the value flattened and every object or array inside an array: each is
/// a section of its own, with its absolute JSON path (<c>$.items[3]</c>), so an array of records becomes one
/// chunk per record where each fits; the lines of its parent after it continue in a section of the parent's path.
/// </summary>
internal static class JsonFlattener
{
    public static void Record(JsonElement value, string path, ExtractedTextBuilder text, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        text.StartSection(jsonPath: path);
        Lines(value, path, "", path, text, cancellationToken);
    }

    private static void Lines(JsonElement value, string path, string relative, string record, ExtractedTextBuilder text, CancellationToken cancellationToken)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.Object when value.EnumerateObject().Any():
                foreach (var member in value.EnumerateObject())
                {
                    var segment = Member(member.Name);
                    Lines(member.Value, path + segment, relative.Length == 0 ? segment.TrimStart('.') : relative + segment, record, text, cancellationToken);
                }

                break;
            case JsonValueKind.Array when value.GetArrayLength() > 0:
                var index = 0;
                foreach (var item in value.EnumerateArray())
                {
                    var segment = string.Create(CultureInfo.InvariantCulture, $"[{index++}]");
                    if (item.ValueKind is JsonValueKind.Object or JsonValueKind.Array)
                    {
                        Record(item, path + segment, text, cancellationToken);
                        text.StartSection(jsonPath: record);
                    }
                    else
                    {
                        Lines(item, path + segment, relative + segment, record, text, cancellationToken);
                    }
                }

                break;
            default:
                var scalar = Scalar(value);
                text.AppendLine(relative.Length == 0 ? scalar : $"{relative}: {scalar}");
                break;
        }
    }

    private static string Scalar(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString() ?? "",
        JsonValueKind.Object => "{}",
        JsonValueKind.Array => "[]",
        _ => value.GetRawText(),
    };

    /// <summary><c>.name</c> for a name of letters, digits and underscores (not starting with a digit), else <c>['name']</c>.</summary>
    private static string Member(string name) =>
        name.Length > 0 && !char.IsAsciiDigit(name[0]) && name.All(c => char.IsAsciiLetterOrDigit(c) || c == '_')
            ? "." + name
            : $"['{name.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("'", "\\'", StringComparison.Ordinal)}']";
}
