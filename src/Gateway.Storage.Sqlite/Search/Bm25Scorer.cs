using System.Runtime.CompilerServices;
using System.Text;
using Gateway.Core.Storage.Conversations;

namespace Gateway.Storage.Sqlite.Search;

/// <summary>
/// BM25 as FTS5's <c>bm25()</c> computes it (k1 = 1.2, b = 0.75, IDF floored at 10⁻⁶), over text
/// tokenised by <see cref="Fts5TokenReader"/>: per phrase, the IDF from its document frequency times
/// the saturated count of its occurrences (consecutive tokens; a prefix phrase's last token matches any
/// token that starts with it), normalised by the document's length in tokens against the average.
/// Higher is better (FTS5 returns the negation). It also cuts the snippet of a hit, marking the same
/// occurrences. One instance per search: it reuses its buffers.
/// </summary>
internal sealed class Bm25Scorer
{
    public const double K1 = 1.2;
    public const double B = 0.75;

    private readonly string[] _slots;
    private readonly bool[] _slotIsPrefix;
    private readonly int[][] _phrases;
    private readonly double[] _idf;
    private readonly double _averageLength;
    private readonly int _words;
    private char[] _buffer = new char[64];
    private ulong[] _masks = new ulong[128];
    private int[] _starts = new int[128];
    private int[] _ends = new int[128];

    /// <summary>Scores against <paramref name="phrases"/> in an index of <paramref name="rowCount"/> rows of <paramref name="averageLength"/> tokens on average.</summary>
    public Bm25Scorer(IReadOnlyList<Bm25Phrase> phrases, long rowCount, double averageLength)
    {
        ArgumentNullException.ThrowIfNull(phrases);
        var slots = new List<(string Token, bool IsPrefix)>();
        _phrases = new int[phrases.Count][];
        _idf = new double[phrases.Count];
        for (var p = 0; p < phrases.Count; p++)
        {
            var phrase = phrases[p];
            _idf[p] = Idf(rowCount, phrase.DocumentFrequency);
            _phrases[p] = new int[phrase.Tokens.Count];
            for (var t = 0; t < phrase.Tokens.Count; t++)
            {
                // Only a prefix phrase's last token is a prefix, as in FTS5.
                var slot = (phrase.Tokens[t], phrase.IsPrefix && t == phrase.Tokens.Count - 1);
                var index = slots.IndexOf(slot);
                if (index < 0)
                {
                    index = slots.Count;
                    slots.Add(slot);
                }

                _phrases[p][t] = index;
            }
        }

        _slots = [.. slots.Select(s => s.Token)];
        _slotIsPrefix = [.. slots.Select(s => s.IsPrefix)];
        _words = Math.Max(1, (_slots.Length + 63) / 64);
        _averageLength = averageLength > 0 ? averageLength : 1;
    }

    /// <summary>FTS5's IDF: ln((N − n + 0.5) / (n + 0.5)), at least 10⁻⁶ so that a word in most rows still counts a little.</summary>
    public static double Idf(long rowCount, long documentFrequency)
    {
        var idf = Math.Log((rowCount - documentFrequency + 0.5) / (documentFrequency + 0.5));
        return idf <= 0 ? 1e-6 : idf;
    }

    /// <summary>The BM25 score of <paramref name="content"/>: 0 when no phrase occurs in it.</summary>
    public double Score(ReadOnlySpan<char> content)
    {
        var length = Tokenize(content, offsets: false);
        var normaliser = K1 * (1 - B + (B * length / _averageLength));
        var score = 0.0;
        for (var p = 0; p < _phrases.Length; p++)
        {
            var frequency = Occurrences(_phrases[p], length);
            if (frequency > 0)
            {
                score += _idf[p] * (frequency * (K1 + 1)) / (frequency + normaliser);
            }
        }

        return score;
    }

    /// <summary>
    /// An excerpt of <paramref name="content"/> of at most <paramref name="window"/> tokens, chosen as
    /// FTS5's <c>snippet()</c> chooses it (the window with the most distinct phrases, then the most
    /// occurrences, centred on them), with the text between tokens kept, "…" where text was cut, the
    /// text HTML-escaped and every phrase occurrence inside <see cref="MessageSearchResults.MatchStart"/>/<see cref="MessageSearchResults.MatchEnd"/>.
    /// </summary>
    public string Snippet(string content, int window)
    {
        ArgumentNullException.ThrowIfNull(content);
        var length = Tokenize(content, offsets: true);
        var occurrences = new List<(int Start, int Phrase, int Length)>();
        for (var start = 0; start < length; start++)
        {
            for (var p = 0; p < _phrases.Length; p++)
            {
                if (_phrases[p].Length > 0 && start + _phrases[p].Length <= length && OccursAt(_phrases[p], start))
                {
                    occurrences.Add((start, p, _phrases[p].Length));
                }
            }
        }

        var first = BestStart(content, occurrences, length, window);
        var last = first + window;
        var builder = new StringBuilder(Math.Min(content.Length, 400) + 32);
        if (first > 0)
        {
            builder.Append(Ellipsis);
        }

        // Occurrences that start inside the window are marked, overlapping ones as one, a mark cut at
        // the window's end; text between tokens is kept as written.
        var from = first == 0 ? 0 : _starts[first];
        var next = 0;
        var markEnd = -1;
        for (var t = first; t < Math.Min(last, length); t++)
        {
            while (next < occurrences.Count && occurrences[next].Start < t)
            {
                next++;
            }

            if (markEnd < 0 && next < occurrences.Count && occurrences[next].Start == t)
            {
                AppendEscaped(builder, content.AsSpan(from, _starts[t] - from));
                builder.Append(MessageSearchResults.MatchStart);
                from = _starts[t];
                markEnd = t;
            }

            for (; next < occurrences.Count && occurrences[next].Start == t && markEnd >= 0; next++)
            {
                markEnd = Math.Max(markEnd, t + occurrences[next].Length - 1);
            }

            if (markEnd >= 0 && (t == markEnd || t == last - 1))
            {
                AppendEscaped(builder, content.AsSpan(from, _ends[t] - from));
                builder.Append(MessageSearchResults.MatchEnd);
                from = _ends[t];
                markEnd = -1;
            }
        }

        var to = last >= length ? content.Length : _ends[last - 1];
        if (to > from)
        {
            AppendEscaped(builder, content.AsSpan(from, to - from));
        }

        if (last < length)
        {
            builder.Append(Ellipsis);
        }

        return builder.ToString();
    }

    private const string Ellipsis = "…";

    // FTS5's snippet() choice: for each occurrence, the window from it scores 1000 per distinct phrase
    // starting inside and 1 per further occurrence, shifted to centre them; the window from the start
    // of that occurrence's sentence scores the same plus 100 (120 at the very start). The first best wins.
    private int BestStart(string content, List<(int Start, int Phrase, int Length)> occurrences, int length, int window)
    {
        var bestScore = 0;
        var bestStart = 0;
        var sentences = new List<int>();
        for (var t = 0; t < length; t++)
        {
            if (t == 0 || IsSentenceStart(content, _starts[t]))
            {
                sentences.Add(t);
            }
        }

        var seen = new HashSet<int>();
        foreach (var occurrence in occurrences)
        {
            var (score, adjusted) = WindowScore(occurrences, seen, occurrence.Start, length, window);
            if (score > bestScore)
            {
                (bestScore, bestStart) = (score, adjusted);
            }

            if (length > window)
            {
                var sentence = 0;
                while (sentence + 1 < sentences.Count && sentences[sentence + 1] <= occurrence.Start)
                {
                    sentence++;
                }

                if (sentences[sentence] < occurrence.Start)
                {
                    var (fromSentence, _) = WindowScore(occurrences, seen, sentences[sentence], length, window);
                    fromSentence += sentences[sentence] == 0 ? 120 : 100;
                    if (fromSentence > bestScore)
                    {
                        (bestScore, bestStart) = (fromSentence, sentences[sentence]);
                    }
                }
            }
        }

        return bestStart;
    }

    private static (int Score, int Adjusted) WindowScore(
        List<(int Start, int Phrase, int Length)> occurrences, HashSet<int> seen, int begin, int length, int window)
    {
        seen.Clear();
        var score = 0;
        var firstStart = -1;
        var lastEnd = 0;
        foreach (var (start, phrase, span) in occurrences)
        {
            if (start >= begin && start < begin + window)
            {
                score += seen.Add(phrase) ? 1000 : 1;
                if (firstStart < 0)
                {
                    firstStart = start;
                }

                lastEnd = start + span;
            }
        }

        var adjusted = firstStart - ((window - (lastEnd - firstStart)) / 2);
        if (adjusted + window > length)
        {
            adjusted = length - window;
        }

        return (score, Math.Max(0, adjusted));
    }

    // A sentence starts at a token preceded by white space after a '.' or ':', as FTS5 finds them.
    private static bool IsSentenceStart(string content, int tokenStart)
    {
        var i = tokenStart - 1;
        while (i >= 0 && content[i] is ' ' or '\t' or '\n' or '\r')
        {
            i--;
        }

        return i != tokenStart - 1 && i >= 0 && content[i] is '.' or ':';
    }

    private static void AppendEscaped(StringBuilder builder, ReadOnlySpan<char> text)
    {
        foreach (var c in text)
        {
            _ = c switch
            {
                '&' => builder.Append("&amp;"),
                '<' => builder.Append("&lt;"),
                '>' => builder.Append("&gt;"),
                '"' => builder.Append("&quot;"),
                '\'' => builder.Append("&#39;"),
                _ => builder.Append(c),
            };
        }
    }

    // Tokenises into the match masks (and token offsets when asked); returns the length in tokens.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private int Tokenize(ReadOnlySpan<char> content, bool offsets)
    {
        var words = _words;
        var reader = new Fts5TokenReader(content, _buffer);
        var length = 0;
        while (reader.MoveNext())
        {
            var offset = length * words;
            if (offset + words > _masks.Length)
            {
                Array.Resize(ref _masks, _masks.Length * 2);
            }

            if (offsets)
            {
                if (length >= _starts.Length)
                {
                    Array.Resize(ref _starts, _starts.Length * 2);
                    Array.Resize(ref _ends, _ends.Length * 2);
                }

                _starts[length] = reader.CurrentStart;
                _ends[length] = reader.CurrentEnd;
            }

            _masks.AsSpan(offset, words).Clear();
            var token = reader.Current;
            for (var s = 0; s < _slots.Length; s++)
            {
                var slot = _slots[s].AsSpan();
                if (_slotIsPrefix[s] ? token.StartsWith(slot, StringComparison.Ordinal) : token.SequenceEqual(slot))
                {
                    _masks[offset + (s >> 6)] |= 1UL << (s & 63);
                }
            }

            length++;
        }

        _buffer = reader.Buffer;
        return length;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private bool OccursAt(int[] phrase, int start)
    {
        var words = _words;
        for (var t = 0; t < phrase.Length; t++)
        {
            var slot = phrase[t];
            if ((_masks[((start + t) * words) + (slot >> 6)] & (1UL << (slot & 63))) == 0)
            {
                return false;
            }
        }

        return true;
    }

    private int Occurrences(int[] phrase, int length)
    {
        var count = 0;
        for (var start = 0; phrase.Length > 0 && start + phrase.Length <= length; start++)
        {
            if (OccursAt(phrase, start))
            {
                count++;
            }
        }

        return count;
    }
}
