using System.Buffers;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Gateway.Core.Vectors.Internal;

/// <summary>
/// Which rows the 1-bit codes nominate for exact rescoring. A fixed <c>k × oversampling</c> by Hamming
/// distance is not enough: sign bits tell topics apart but hardly rank the rows inside one, so the true top
/// k hide among all the rows of the query's topic, and their number grows with the collection (recall@10
/// 0.63 at 100,000 rows and 0.28 at 1,000,000 with 160 candidates on the clustered benchmark set). Instead
/// every row whose distance is within <see cref="Margin"/> of the k-th nearest code's is nominated (and at
/// least the <c>minimum</c> nearest): the margin is about two standard deviations of the difference of two
/// rows' distances to the query, so the shortlist follows the density of the data around the query rather
/// than its size. Distances are kept per row (two bytes each) and counted in a histogram, so the cut-off
/// is read from the counts and the rows gathered in a second pass, in row order.
/// </summary>
internal static class BinaryShortlist
{
    /// <summary>
    /// The margin in bits above the k-th nearest distance. Two rows' distances to a query differ by noise of
    /// standard deviation √(2·d·θ(1 − θ)) bits (θ the angle as a share of π: 0.2–0.4 between related
    /// texts), at most 0.7·√d; 1.25·√d (25 bits at 384 dimensions) kept recall@10 ≥ 0.99 on clustered sets
    /// of 20,000 to 1,000,000 rows with 10 to 100 topics.
    /// </summary>
    public static int Margin(int dimensions) => (int)Math.Ceiling(1.25 * Math.Sqrt(dimensions));

    /// <summary>The nominated rows of all <paramref name="count"/> rows, ascending; the distances computed over up to <paramref name="maxDegreeOfParallelism"/> threads.</summary>
    public static int[] Rows(byte[] codes, int wordsPerRow, int count, int dimensions, ReadOnlyMemory<ulong> query, int k, int minimum, int maxDegreeOfParallelism)
    {
        var distances = ArrayPool<ushort>.Shared.Rent(count);
        try
        {
            var histograms = new int[RowPartitions.Count(count, maxDegreeOfParallelism)][];
            RowPartitions.For(count, histograms.Length, (start, end, p) =>
                histograms[p] = Distances(codes, wordsPerRow, start, end, query.Span, distances.AsSpan(start, end - start), default));
            var histogram = histograms[0];
            for (var p = 1; p < histograms.Length; p++)
            {
                for (var d = 0; d < histogram.Length; d++)
                {
                    histogram[d] += histograms[p][d];
                }
            }

            var (cutoff, nominated) = Cutoff(histogram, k, minimum, dimensions);
            var rows = new int[nominated];
            var found = 0;
            for (var row = 0; row < count && found < nominated; row++)
            {
                if (distances[row] <= cutoff)
                {
                    rows[found++] = row;
                }
            }

            return rows;
        }
        finally
        {
            ArrayPool<ushort>.Shared.Return(distances);
        }
    }

    /// <summary>The nominated rows among <paramref name="candidateRows"/>, in their order.</summary>
    public static int[] Candidates(byte[] codes, int wordsPerRow, ReadOnlySpan<int> candidateRows, int dimensions, ReadOnlySpan<ulong> query, int k, int minimum)
    {
        var distances = ArrayPool<ushort>.Shared.Rent(candidateRows.Length);
        try
        {
            var histogram = Distances(codes, wordsPerRow, 0, candidateRows.Length, query, distances.AsSpan(0, candidateRows.Length), candidateRows);
            var (cutoff, nominated) = Cutoff(histogram, k, minimum, dimensions);
            var rows = new int[nominated];
            var found = 0;
            for (var i = 0; i < candidateRows.Length && found < nominated; i++)
            {
                if (distances[i] <= cutoff)
                {
                    rows[found++] = candidateRows[i];
                }
            }

            return rows;
        }
        finally
        {
            ArrayPool<ushort>.Shared.Return(distances);
        }
    }

    /// <summary>The largest distance nominated and how many rows are at or below it.</summary>
    private static (int Cutoff, int Nominated) Cutoff(int[] histogram, int k, int minimum, int dimensions)
    {
        var total = 0;
        foreach (var rows in histogram)
        {
            total += rows;
        }

        var cutoff = 0;
        var nominated = histogram[0];
        while (nominated < Math.Min(k, total))
        {
            nominated += histogram[++cutoff];
        }

        var limit = Math.Min(histogram.Length - 1, cutoff + Margin(dimensions));
        while (cutoff < histogram.Length - 1 && (cutoff < limit || nominated < Math.Min(minimum, total)))
        {
            nominated += histogram[++cutoff];
        }

        return (cutoff, nominated);
    }

    /// <summary>
    /// The distance of each of rows <paramref name="start"/> to <paramref name="end"/> (of the matrix, or of
    /// <paramref name="candidateRows"/> when given) into <paramref name="distances"/>, and their histogram.
    /// </summary>
    private static int[] Distances(byte[] codes, int wordsPerRow, int start, int end, ReadOnlySpan<ulong> query, Span<ushort> distances, ReadOnlySpan<int> candidateRows)
    {
        var histogram = new int[(wordsPerRow * 64) + 1];
        ref var q = ref MemoryMarshal.GetReference(query);
        ref var m = ref Unsafe.As<byte, ulong>(ref MemoryMarshal.GetArrayDataReference(codes));
        var listed = !candidateRows.IsEmpty;
        for (var i = start; i < end; i++)
        {
            var row = listed ? candidateRows[i] : i;
            var distance = BinaryKernel.Distance(ref q, ref Unsafe.Add(ref m, (nint)row * wordsPerRow), wordsPerRow);
            distances[i - start] = (ushort)distance;
            histogram[distance]++;
        }

        return histogram;
    }
}
