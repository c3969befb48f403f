using System.Globalization;
using System.Text;

namespace Gateway.Core.Storage.Conversations.Archive.Internal;

/// <summary>
/// JSONPath text for error messages: <c>$.conversations[3].messages[2].role</c>. Names that are not plain
/// identifiers (ChatGPT node ids contain dashes) use the bracket form <c>['…']</c>, so every path is unambiguous.
/// </summary>
internal static class ArchivePath
{
    public const string Root = "$";

    public static string Property(string parent, string name) =>
        IsIdentifier(name) ? $"{parent}.{name}" : $"{parent}['{Escape(name)}']";

    public static string Index(string parent, int index) =>
        string.Create(CultureInfo.InvariantCulture, $"{parent}[{index}]");

    private static bool IsIdentifier(string name)
    {
        if (name.Length == 0 || !(char.IsAsciiLetter(name[0]) || name[0] == '_'))
        {
            return false;
        }

        foreach (var c in name)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c == '_'))
            {
                return false;
            }
        }

        return true;
    }

    private static string Escape(string name)
    {
        if (!name.AsSpan().ContainsAny('\'', '\\') && !name.AsSpan().ContainsAnyInRange('\0', '\x1f'))
        {
            return name;
        }

        var builder = new StringBuilder(name.Length + 8);
        foreach (var c in name)
        {
            _ = c switch
            {
                '\'' => builder.Append("\\'"),
                '\\' => builder.Append("\\\\"),
                < ' ' => builder.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:x4}"),
                _ => builder.Append(c),
            };
        }

        return builder.ToString();
    }
}
