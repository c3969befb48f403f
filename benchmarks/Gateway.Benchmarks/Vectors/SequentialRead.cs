using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Gateway.Benchmarks.Vectors;

/// <summary>
/// The memory-bandwidth bound of a scan: every float of the matrix read once in order and summed
/// (Vector512 adds, four accumulators), nothing else. No scan of the same bytes can be faster.
/// </summary>
internal static class SequentialRead
{
    public static float Sum(ReadOnlySpan<float> values)
    {
        ref var start = ref MemoryMarshal.GetReference(values);
        var a0 = Vector512<float>.Zero;
        var a1 = Vector512<float>.Zero;
        var a2 = Vector512<float>.Zero;
        var a3 = Vector512<float>.Zero;
        var i = 0;
        for (; i <= values.Length - (4 * Vector512<float>.Count); i += 4 * Vector512<float>.Count)
        {
            a0 += Vector512.LoadUnsafe(ref start, (nuint)i);
            a1 += Vector512.LoadUnsafe(ref start, (nuint)(i + Vector512<float>.Count));
            a2 += Vector512.LoadUnsafe(ref start, (nuint)(i + (2 * Vector512<float>.Count)));
            a3 += Vector512.LoadUnsafe(ref start, (nuint)(i + (3 * Vector512<float>.Count)));
        }

        var sum = Vector512.Sum(a0 + a1 + a2 + a3);
        for (; i < values.Length; i++)
        {
            sum += values[i];
        }

        return sum;
    }

    /// <summary>The same over up to <paramref name="threads"/> threads (0: one per processor), each reading its own contiguous part.</summary>
    public static float SumParallel(float[] values, int threads)
    {
        var parts = threads > 0 ? threads : Environment.ProcessorCount;
        if (parts == 1)
        {
            return Sum(values);
        }

        var sums = new float[parts];
        Parallel.For(0, parts, new ParallelOptions { MaxDegreeOfParallelism = parts }, p =>
        {
            var start = (int)((long)values.Length * p / parts);
            var end = (int)((long)values.Length * (p + 1) / parts);
            sums[p] = Sum(values.AsSpan(start, end - start));
        });
        return sums.Sum();
    }
}
