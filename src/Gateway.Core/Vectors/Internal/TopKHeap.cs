using System.Runtime.CompilerServices;

namespace Gateway.Core.Vectors.Internal;

/// <summary>Keeps the <c>k</c> best-scoring rows seen so far in a min-heap (worst on top); ties prefer the lower row.</summary>
internal sealed class TopKHeap
{
    private readonly ScoredRow[] _items;
    private int _count;

    public TopKHeap(int k) => _items = new ScoredRow[Math.Max(1, k)];

    public int Count => _count;

    /// <summary>Offers a row; the common case (full heap, row no better than the worst kept) is one inlined comparison.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Offer(int row, float score)
    {
        if (_count == _items.Length && !Better(row, score, _items[0]))
        {
            return;
        }

        Insert(new ScoredRow(row, score));
    }

    /// <summary>Offers every row another heap kept (merging the heaps of row partitions).</summary>
    public void OfferAll(TopKHeap other)
    {
        foreach (var item in other._items.AsSpan(0, other._count))
        {
            Offer(item.Row, item.Score);
        }
    }

    public ScoredRow[] ToSortedArray()
    {
        var result = _items.AsSpan(0, _count).ToArray();
        Array.Sort(result, static (a, b) => Better(a, b) ? -1 : Better(b, a) ? 1 : 0);
        return result;
    }

    /// <summary>The rows kept, in no particular order.</summary>
    public int[] Rows()
    {
        var rows = new int[_count];
        for (var i = 0; i < rows.Length; i++)
        {
            rows[i] = _items[i].Row;
        }

        return rows;
    }

    private static bool Better(int row, float score, ScoredRow than) => score > than.Score || (score == than.Score && row < than.Row);

    private static bool Better(ScoredRow a, ScoredRow b) => Better(a.Row, a.Score, b);

    private void Insert(ScoredRow item)
    {
        if (_count < _items.Length)
        {
            _items[_count] = item;
            SiftUp(_count++);
        }
        else
        {
            _items[0] = item;
            SiftDown(0);
        }
    }

    private void SiftUp(int index)
    {
        while (index > 0)
        {
            var parent = (index - 1) / 2;
            if (!Better(_items[parent], _items[index]))
            {
                break;
            }

            (_items[parent], _items[index]) = (_items[index], _items[parent]);
            index = parent;
        }
    }

    private void SiftDown(int index)
    {
        while (true)
        {
            var worst = index;
            var left = (2 * index) + 1;
            var right = left + 1;
            if (left < _count && Better(_items[worst], _items[left]))
            {
                worst = left;
            }

            if (right < _count && Better(_items[worst], _items[right]))
            {
                worst = right;
            }

            if (worst == index)
            {
                return;
            }

            (_items[worst], _items[index]) = (_items[index], _items[worst]);
            index = worst;
        }
    }
}
