namespace Gateway.Rag.Chunking.Internal;

/// <summary>
/// A text's tokens (their offsets), how strong a chunk break before each of them would be, and which of them
/// lie in a span to keep whole that fits in one chunk (breaks inside such a span are never chosen).
/// </summary>
internal sealed class TokenBreaks
{
    private const int NoSpan = -1;

    private readonly int[] _starts;
    private readonly int[] _ends;
    private readonly BreakStrength[] _before;

    /// <summary>For each token, the first token of the fitting span to keep whole it lies in, or <see cref="NoSpan"/>.</summary>
    private readonly int[] _wholeFirst;

    /// <summary>For each token, the token just past the fitting span to keep whole it lies in, or <see cref="NoSpan"/>.</summary>
    private readonly int[] _wholeEnd;

    private TokenBreaks(int[] starts, int[] ends, BreakStrength[] before, int[] wholeFirst, int[] wholeEnd)
    {
        _starts = starts;
        _ends = ends;
        _before = before;
        _wholeFirst = wholeFirst;
        _wholeEnd = wholeEnd;
    }

    public int Count => _starts.Length;

    /// <param name="text">The text the spans are of.</param>
    /// <param name="spans">The tokenizer's token spans, in order.</param>
    /// <param name="keepWhole">The spans of the text to keep whole, in order; a token belongs to the span its start is in.</param>
    /// <param name="chunkTokens">The most tokens per chunk: a span of more tokens is cut like any other text.</param>
    public static TokenBreaks Read(string text, IReadOnlyList<Range> spans, IReadOnlyList<Range> keepWhole, int chunkTokens)
    {
        var starts = new int[spans.Count];
        var ends = new int[spans.Count];
        var before = new BreakStrength[spans.Count];
        for (var i = 0; i < spans.Count; i++)
        {
            (starts[i], var length) = spans[i].GetOffsetAndLength(text.Length);
            ends[i] = starts[i] + length;
            before[i] = i == 0 ? BreakStrength.Paragraph : Strength(text, ends[i - 1], starts[i]);
        }

        var wholeFirst = new int[spans.Count];
        var wholeEnd = new int[spans.Count];
        Array.Fill(wholeFirst, NoSpan);
        Array.Fill(wholeEnd, NoSpan);
        var token = 0;
        foreach (var span in keepWhole)
        {
            var (spanStart, spanLength) = span.GetOffsetAndLength(text.Length);
            var first = FirstAtOrAfter(starts, spanStart, token);
            var end = FirstAtOrAfter(starts, spanStart + spanLength, first);
            if (end - first is > 1 && end - first <= chunkTokens)
            {
                Array.Fill(wholeFirst, first, first, end - first);
                Array.Fill(wholeEnd, end, first, end - first);
            }

            token = end;
        }

        return new TokenBreaks(starts, ends, before, wholeFirst, wholeEnd);
    }

    public int Start(int token) => _starts[token];

    public int End(int token) => _ends[token];

    /// <summary>The tokens <c>[first, end)</c> that start in the text's <c>[start, end)</c>.</summary>
    public (int First, int End) Within(int start, int end)
    {
        var first = FirstAtOrAfter(_starts, start, 0);
        return (first, FirstAtOrAfter(_starts, end, first));
    }

    /// <summary>
    /// The token a chunk of tokens <c>[start, to)</c> should end before: the first token of a span to keep whole
    /// that <paramref name="to"/> falls inside, when that span starts after <paramref name="start"/>; else the
    /// strongest break in <c>[from, to]</c> outside such spans (the latest of equals), else <paramref name="to"/>.
    /// </summary>
    public int BestBreak(int start, int from, int to)
    {
        if (InsideWhole(to) && _wholeFirst[to] > start)
        {
            return _wholeFirst[to];
        }

        var best = to;
        var strength = BreakStrength.InsideWord;
        for (var i = to; i >= from; i--)
        {
            if (_before[i] > strength && !InsideWhole(i))
            {
                best = i;
                strength = _before[i];
            }
        }

        return best;
    }

    /// <summary>
    /// Where the chunk after one ending before <paramref name="end"/> starts: the first token in <c>[from, end)</c>
    /// that starts a word, moved past a span kept whole that it would start inside; <paramref name="end"/> when none.
    /// </summary>
    public int OverlapStart(int from, int end)
    {
        for (var i = from; i < end; i++)
        {
            if (_before[i] != BreakStrength.InsideWord)
            {
                return InsideWhole(i) ? Math.Min(_wholeEnd[i], end) : i;
            }
        }

        return end;
    }

    /// <summary>Whether a break before <paramref name="token"/> would cut a span kept whole.</summary>
    private bool InsideWhole(int token) => token < _starts.Length && _wholeFirst[token] != NoSpan && _wholeFirst[token] < token;

    private static int FirstAtOrAfter(int[] starts, int offset, int from)
    {
        var index = Array.BinarySearch(starts, from, starts.Length - from, offset);
        return index >= 0 ? index : ~index;
    }

    private static BreakStrength Strength(string text, int previousEnd, int start)
    {
        if (start <= previousEnd)
        {
            return BreakStrength.InsideWord;
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
