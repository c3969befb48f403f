namespace Gateway.Core.Vectors.Internal;

/// <summary>
/// Splits a scan over all cores: each partition of consecutive rows fills its own heaps, which are
/// merged afterwards (the merge keeps the tie order, so the result equals the one-thread scan).
/// </summary>
internal static class RowPartitions
{
    /// <summary>Below this many rows per partition a thread costs more to start than its share of the scan saves.</summary>
    private const int MinRowsPerPartition = 8_192;

    /// <param name="rowCount">The rows to scan.</param>
    /// <param name="heapSizes">One heap per query, of this size each.</param>
    /// <param name="queryCount">How many heaps (queries) each partition fills.</param>
    /// <param name="maxDegreeOfParallelism">At most this many partitions; 0 or less for one per processor.</param>
    /// <param name="scan">Scans rows [start, end) into the partition's heaps.</param>
    public static TopKHeap[] Scan(int rowCount, int heapSizes, int queryCount, int maxDegreeOfParallelism, Action<int, int, TopKHeap[]> scan)
    {
        var heaps = new TopKHeap[Count(rowCount, maxDegreeOfParallelism)][];
        for (var p = 0; p < heaps.Length; p++)
        {
            heaps[p] = NewHeaps(queryCount, heapSizes);
        }

        For(rowCount, heaps.Length, (start, end, p) => scan(start, end, heaps[p]));
        for (var p = 1; p < heaps.Length; p++)
        {
            for (var q = 0; q < queryCount; q++)
            {
                heaps[0][q].OfferAll(heaps[p][q]);
            }
        }

        return heaps[0];
    }

    /// <summary>How many partitions a scan of <paramref name="rowCount"/> rows uses: at most <paramref name="maxDegreeOfParallelism"/> (0 or less: one per processor).</summary>
    public static int Count(int rowCount, int maxDegreeOfParallelism)
    {
        var threads = maxDegreeOfParallelism > 0 ? maxDegreeOfParallelism : Environment.ProcessorCount;
        return Math.Clamp((rowCount + MinRowsPerPartition - 1) / MinRowsPerPartition, 1, threads);
    }

    /// <summary>Runs <paramref name="scan"/>(start, end, partition) over <paramref name="partitions"/> consecutive ranges of the rows, in parallel when more than one.</summary>
    public static void For(int rowCount, int partitions, Action<int, int, int> scan)
    {
        if (partitions == 1)
        {
            scan(0, rowCount, 0);
            return;
        }

        Parallel.For(0, partitions, new ParallelOptions { MaxDegreeOfParallelism = partitions }, p =>
            scan((int)((long)rowCount * p / partitions), (int)((long)rowCount * (p + 1) / partitions), p));
    }

    public static TopKHeap[] NewHeaps(int count, int size)
    {
        var heaps = new TopKHeap[count];
        for (var i = 0; i < count; i++)
        {
            heaps[i] = new TopKHeap(size);
        }

        return heaps;
    }
}
