using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Gateway.Core.Vectors.Internal;

/// <summary>Exact float32 scans of a row-major matrix into top-k heaps: a row range, a candidate list, or a batch of queries.</summary>
internal static class FloatScan
{
    /// <summary>How many queries share one pass over the rows: their vectors stay in L1/L2 while each block of four rows is scored against all of them.</summary>
    public const int QueriesPerPass = 16;

    public static void Rows(ReadOnlySpan<float> matrix, int dimensions, int start, int end, ReadOnlySpan<float> query, TopKHeap heap)
    {
        ref var q = ref MemoryMarshal.GetReference(query);
        ref var m = ref MemoryMarshal.GetReference(matrix);
        var row = start;
        for (; row <= end - 4; row += 4)
        {
            ref var r0 = ref RowRef(ref m, row, dimensions);
            FloatDotKernel.Dot4(
                ref q, ref r0, ref Unsafe.Add(ref r0, dimensions), ref Unsafe.Add(ref r0, 2 * dimensions), ref Unsafe.Add(ref r0, 3 * dimensions),
                dimensions, out var s0, out var s1, out var s2, out var s3);
            heap.Offer(row, s0);
            heap.Offer(row + 1, s1);
            heap.Offer(row + 2, s2);
            heap.Offer(row + 3, s3);
        }

        for (; row < end; row++)
        {
            heap.Offer(row, FloatDotKernel.Dot(ref q, ref RowRef(ref m, row, dimensions), dimensions));
        }
    }

    /// <summary>Scores only the listed rows, four at a time; every index must be a row of the matrix (checked by the caller).</summary>
    public static void Candidates(ReadOnlySpan<float> matrix, int dimensions, ReadOnlySpan<int> candidateRows, ReadOnlySpan<float> query, TopKHeap heap)
    {
        ref var q = ref MemoryMarshal.GetReference(query);
        ref var m = ref MemoryMarshal.GetReference(matrix);
        var i = 0;
        for (; i <= candidateRows.Length - 4; i += 4)
        {
            int c0 = candidateRows[i], c1 = candidateRows[i + 1], c2 = candidateRows[i + 2], c3 = candidateRows[i + 3];
            FloatDotKernel.Dot4(
                ref q, ref RowRef(ref m, c0, dimensions), ref RowRef(ref m, c1, dimensions), ref RowRef(ref m, c2, dimensions), ref RowRef(ref m, c3, dimensions),
                dimensions, out var s0, out var s1, out var s2, out var s3);
            heap.Offer(c0, s0);
            heap.Offer(c1, s1);
            heap.Offer(c2, s2);
            heap.Offer(c3, s3);
        }

        for (; i < candidateRows.Length; i++)
        {
            heap.Offer(candidateRows[i], FloatDotKernel.Dot(ref q, ref RowRef(ref m, candidateRows[i], dimensions), dimensions));
        }
    }

    /// <summary>Scores rows <paramref name="start"/> to <paramref name="end"/> against every query, <see cref="QueriesPerPass"/> queries per pass; heap <c>i</c> is query <c>i</c>'s.</summary>
    public static void Batch(ReadOnlySpan<float> matrix, int dimensions, int start, int end, ReadOnlySpan<float> queries, TopKHeap[] heaps)
    {
        ref var m = ref MemoryMarshal.GetReference(matrix);
        ref var qs = ref MemoryMarshal.GetReference(queries);
        for (var first = 0; first < heaps.Length; first += QueriesPerPass)
        {
            var last = Math.Min(first + QueriesPerPass, heaps.Length);
            var row = start;
            for (; row <= end - 4; row += 4)
            {
                ref var r0 = ref RowRef(ref m, row, dimensions);
                ref var r1 = ref Unsafe.Add(ref r0, dimensions);
                ref var r2 = ref Unsafe.Add(ref r1, dimensions);
                ref var r3 = ref Unsafe.Add(ref r2, dimensions);
                for (var query = first; query < last; query++)
                {
                    FloatDotKernel.Dot4(
                        ref RowRef(ref qs, query, dimensions), ref r0, ref r1, ref r2, ref r3,
                        dimensions, out var s0, out var s1, out var s2, out var s3);
                    var heap = heaps[query];
                    heap.Offer(row, s0);
                    heap.Offer(row + 1, s1);
                    heap.Offer(row + 2, s2);
                    heap.Offer(row + 3, s3);
                }
            }

            for (; row < end; row++)
            {
                ref var r = ref RowRef(ref m, row, dimensions);
                for (var query = first; query < last; query++)
                {
                    heaps[query].Offer(row, FloatDotKernel.Dot(ref RowRef(ref qs, query, dimensions), ref r, dimensions));
                }
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ref float RowRef(ref float matrix, int row, int dimensions) => ref Unsafe.Add(ref matrix, (nint)row * dimensions);
}
