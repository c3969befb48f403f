namespace Gateway.Core.Vectors;

/// <summary>Keeps the <c>k</c> best-scoring rows seen so far in a min-heap (worst on top); ties prefer the lower row.</summary>
internal sealed class TopKHeap
{
    private readonly ScoredRow[] _items;
    private int _count;

    public TopKHeap(int k) => _items = new ScoredRow[k];

    /// <summary>The lowest score kept once the heap is full, else negative infinity: a row must beat it to enter.</summary>
    public float Threshold => _count == _items.Length ? _items[0].Score : float.NegativeInfinity;

    public void Offer(int row, float score)
    {
        var item = new ScoredRow(row, score);
        if (_count < _items.Length)
        {
            _items[_count] = item;
            SiftUp(_count++);
        }
        else if (Better(item, _items[0]))
        {
            _items[0] = item;
            SiftDown(0);
        }
    }

    public ScoredRow[] ToSortedArray()
    {
        var result = _items.AsSpan(0, _count).ToArray();
        Array.Sort(result, (a, b) => Better(a, b) ? -1 : Better(b, a) ? 1 : 0);
        return result;
    }

    private static bool Better(ScoredRow a, ScoredRow b) => a.Score > b.Score || (a.Score == b.Score && a.Row < b.Row);

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
