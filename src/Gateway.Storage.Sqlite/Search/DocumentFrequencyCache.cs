using System.Collections.Concurrent;

namespace Gateway.Storage.Sqlite.Search;

/// <summary>
/// Per-term document frequencies for BM25's IDF, kept for a while: counting a word's rows walks its
/// whole doclist (≈ 17 ms for a word in half of a million messages), which is what made FTS5's own
/// <c>bm25()</c> slow. An entry is counted again after <c>lifetime</c>, or sooner when the index has
/// grown or shrunk by more than a tenth since (IDF barely moves in between). Thread-safe; two searches
/// missing the same term at once both count it, and the later write wins.
/// </summary>
internal sealed class DocumentFrequencyCache(TimeProvider timeProvider, TimeSpan lifetime, int capacity = DocumentFrequencyCache.DefaultCapacity)
{
    public const int DefaultCapacity = 4_096;

    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);

    /// <summary>The cached frequency of <paramref name="term"/> (an FTS5 phrase as rendered), if still good for an index of <paramref name="rowCount"/> rows.</summary>
    public bool TryGet(string term, long rowCount, out long documentFrequency)
    {
        if (_entries.TryGetValue(term, out var entry)
            && timeProvider.GetUtcNow() < entry.Expires
            && Math.Abs(rowCount - entry.RowCount) * 10 <= entry.RowCount)
        {
            documentFrequency = entry.DocumentFrequency;
            return true;
        }

        documentFrequency = 0;
        return false;
    }

    /// <summary>Remembers <paramref name="documentFrequency"/> of <paramref name="term"/>, counted in an index of <paramref name="rowCount"/> rows.</summary>
    public void Set(string term, long rowCount, long documentFrequency)
    {
        if (_entries.Count >= capacity && !_entries.ContainsKey(term))
        {
            // Bounded memory with no bookkeeping: the hot terms come back on their next search.
            _entries.Clear();
        }

        _entries[term] = new Entry(documentFrequency, rowCount, timeProvider.GetUtcNow() + lifetime);
    }

    private readonly record struct Entry(long DocumentFrequency, long RowCount, DateTimeOffset Expires);
}
