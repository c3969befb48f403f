namespace Gateway.Rag.Chunking.Internal;

/// <summary>
/// The ATX headings of a text (<c># Title</c> to <c>###### Title</c>, up to three spaces in, outside fenced
/// code blocks), each with the path of headings it sits under, outermost first, joined with <c> &gt; </c>.
/// Any text may hold them: a document without such lines simply has no heading paths.
/// </summary>
internal sealed class MarkdownHeadings
{
    private const string Separator = " > ";

    private readonly List<int> _markers;
    private readonly List<string> _paths;

    private MarkdownHeadings(List<int> markers, List<string> paths)
    {
        _markers = markers;
        _paths = paths;
    }

    public static MarkdownHeadings Read(string text)
    {
        var markers = new List<int>();
        var paths = new List<string>();
        var open = new List<(int Level, string Title)>();
        string? fence = null;
        for (var lineStart = 0; lineStart < text.Length;)
        {
            var lineEnd = text.IndexOf('\n', lineStart);
            lineEnd = lineEnd < 0 ? text.Length : lineEnd;
            var line = text.AsSpan(lineStart, lineEnd - lineStart).TrimEnd('\r');
            var indent = line.Length - line.TrimStart(' ').Length;
            var body = line.TrimStart(' ');
            if (indent <= 3 && (body.StartsWith("```") || body.StartsWith("~~~")))
            {
                var marker = body[..3].ToString();
                fence = fence is null ? marker : fence == marker ? null : fence;
            }
            else if (fence is null && indent <= 3 && Heading(body) is { } heading)
            {
                open.RemoveAll(h => h.Level >= heading.Level);
                open.Add(heading);
                markers.Add(lineStart + indent);
                paths.Add(string.Join(Separator, open.Select(h => h.Title)));
            }

            lineStart = lineEnd + 1;
        }

        return new MarkdownHeadings(markers, paths);
    }

    /// <summary>Whether <paramref name="offset"/> is the <c>#</c> that starts a heading line.</summary>
    public bool StartsHeadingLine(string text, int offset) => _markers.BinarySearch(offset) >= 0 && text[offset] == '#';

    /// <summary>The heading path in force at <paramref name="offset"/>, or <see langword="null"/> before the first heading.</summary>
    public string? PathAt(int offset)
    {
        var index = _markers.BinarySearch(offset);
        index = index >= 0 ? index : ~index - 1;
        return index >= 0 ? _paths[index] : null;
    }

    private static (int Level, string Title)? Heading(ReadOnlySpan<char> body)
    {
        var level = 0;
        while (level < body.Length && body[level] == '#')
        {
            level++;
        }

        if (level is 0 or > 6 || (level < body.Length && body[level] is not (' ' or '\t')))
        {
            return null;
        }

        var title = body[level..].Trim().TrimEnd('#').TrimEnd();
        return title.IsEmpty ? null : (level, title.ToString());
    }
}
