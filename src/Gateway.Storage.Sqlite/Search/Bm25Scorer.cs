namespace Gateway.Storage.Sqlite.Search;

/// <summary>
/// BM25 as FTS5's <c>bm25()</c> computes it (k1 = 1.2, b = 0.75, IDF floored at 10⁻⁶), over text
/// tokenised by <see cref="Fts5TokenReader"/>: per phrase, the IDF from its document frequency times
/// the saturated count of its occurrences (consecutive tokens; a prefix phrase's last token matches any
/// token that starts with it), normalised by the document's length in tokens against the average.
/// Higher is better (FTS5 returns the negation). One instance per search: it reuses its buffers.
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

    private int Occurrences(int[] phrase, int length)
    {
        if (phrase.Length == 0)
        {
            return 0;
        }

        var words = _words;
        var count = 0;
        for (var start = 0; start + phrase.Length <= length; start++)
        {
            var all = true;
            for (var t = 0; t < phrase.Length && all; t++)
            {
                var slot = phrase[t];
                all = (_masks[((start + t) * words) + (slot >> 6)] & (1UL << (slot & 63))) != 0;
            }

            if (all)
            {
                count++;
            }
        }

        return count;
    }
}
