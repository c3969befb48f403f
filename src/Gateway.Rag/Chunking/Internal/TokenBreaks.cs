namespace Gateway.Rag.Chunking.Internal;

/// <summary>A text's tokens (their offsets) and how strong a chunk break before each of them would be.</summary>
internal sealed class TokenBreaks
{
    private readonly int[] _starts;
    private readonly int[] _ends;
    private readonly BreakStrength[] _before;

    private TokenBreaks(int[] starts, int[] ends, BreakStrength[] before, MarkdownHeadings headings)
    {
        _starts = starts;
        _ends = ends;
        _before = before;
        Headings = headings;
    }

    public int Count => _starts.Length;

    public MarkdownHeadings Headings { get; }

    public static TokenBreaks Read(string text, IReadOnlyList<Range> spans, MarkdownHeadings headings)
    {
        var starts = new int[spans.Count];
        var ends = new int[spans.Count];
        var before = new BreakStrength[spans.Count];
        for (var i = 0; i < spans.Count; i++)
        {
            (starts[i], var length) = spans[i].GetOffsetAndLength(text.Length);
            ends[i] = starts[i] + length;
            before[i] = i == 0 ? BreakStrength.Heading : Strength(text, ends[i - 1], starts[i], headings);
        }

        return new TokenBreaks(starts, ends, before, headings);
    }

    public int Start(int token) => _starts[token];

    public int End(int token) => _ends[token];

    public BreakStrength BreakBefore(int token) => _before[token];

    /// <summary>
    /// The token a chunk of tokens <c>[start, to)</c> should end before: the last heading after its start,
    /// else the strongest break in <c>[from, to]</c> (the latest of equals), else <paramref name="to"/>.
    /// </summary>
    public int BestBreak(int start, int from, int to)
    {
        for (var i = to; i > start; i--)
        {
            if (_before[i] == BreakStrength.Heading)
            {
                return i;
            }
        }

        var best = to;
        var strength = BreakStrength.InsideWord;
        for (var i = to; i >= from; i--)
        {
            if (_before[i] > strength)
            {
                best = i;
                strength = _before[i];
            }
        }

        return best;
    }

    /// <summary>The first token in <c>[from, to)</c> that starts a word, or <paramref name="to"/>.</summary>
    public int FirstWordStart(int from, int to)
    {
        for (var i = from; i < to; i++)
        {
            if (_before[i] != BreakStrength.InsideWord)
            {
                return i;
            }
        }

        return to;
    }

    private static BreakStrength Strength(string text, int previousEnd, int start, MarkdownHeadings headings)
    {
        if (start <= previousEnd)
        {
            return BreakStrength.InsideWord;
        }

        if (headings.StartsHeadingLine(text, start))
        {
            return BreakStrength.Heading;
        }

        var gap = text.AsSpan(previousEnd, start - previousEnd);
        var newline = gap.IndexOf('\n');
        if (newline >= 0)
        {
            return gap[(newline + 1)..].Contains('\n') ? BreakStrength.Paragraph : BreakStrength.Line;
        }

        return EndsSentence(text, previousEnd) ? BreakStrength.Sentence : BreakStrength.Word;
    }

    /// <summary>Whether the text before <paramref name="end"/> closes a sentence, closing quotes and brackets after the mark included.</summary>
    private static bool EndsSentence(string text, int end)
    {
        var i = end - 1;
        while (i > 0 && text[i] is ')' or ']' or '"' or '\'' or '”' or '’' or '»')
        {
            i--;
        }

        return i >= 0 && text[i] is '.' or '!' or '?' or '…' or '。' or '！' or '？';
    }
}
