using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Gateway.Core.Vectors.Internal;

/// <summary>
/// The float32 dot product the exact scans share: one query against four rows at a time, one
/// accumulator per row (four independent FMA chains), in the widest vectors the CPU runs well.
/// Each row's sum is formed in the same order whichever path scores it, so a row scores the same,
/// bit for bit, alone, in a block of four, in a candidate list or in a batch, and equal rows tie exactly.
/// </summary>
internal static class FloatDotKernel
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Dot(ref float query, ref float row, int dimensions)
    {
        Dot4(ref query, ref row, ref row, ref row, ref row, dimensions, out var score, out _, out _, out _);
        return score;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Dot4(
        ref float query, ref float r0, ref float r1, ref float r2, ref float r3, int dimensions,
        out float s0, out float s1, out float s2, out float s3)
    {
        var i = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            var a0 = Vector512<float>.Zero;
            var a1 = Vector512<float>.Zero;
            var a2 = Vector512<float>.Zero;
            var a3 = Vector512<float>.Zero;
            for (; i <= dimensions - Vector512<float>.Count; i += Vector512<float>.Count)
            {
                var q = Vector512.LoadUnsafe(ref query, (nuint)i);
                a0 = Vector512.FusedMultiplyAdd(Vector512.LoadUnsafe(ref r0, (nuint)i), q, a0);
                a1 = Vector512.FusedMultiplyAdd(Vector512.LoadUnsafe(ref r1, (nuint)i), q, a1);
                a2 = Vector512.FusedMultiplyAdd(Vector512.LoadUnsafe(ref r2, (nuint)i), q, a2);
                a3 = Vector512.FusedMultiplyAdd(Vector512.LoadUnsafe(ref r3, (nuint)i), q, a3);
            }

            s0 = Vector512.Sum(a0);
            s1 = Vector512.Sum(a1);
            s2 = Vector512.Sum(a2);
            s3 = Vector512.Sum(a3);
        }
        else if (Vector256.IsHardwareAccelerated)
        {
            var a0 = Vector256<float>.Zero;
            var a1 = Vector256<float>.Zero;
            var a2 = Vector256<float>.Zero;
            var a3 = Vector256<float>.Zero;
            for (; i <= dimensions - Vector256<float>.Count; i += Vector256<float>.Count)
            {
                var q = Vector256.LoadUnsafe(ref query, (nuint)i);
                a0 = Vector256.FusedMultiplyAdd(Vector256.LoadUnsafe(ref r0, (nuint)i), q, a0);
                a1 = Vector256.FusedMultiplyAdd(Vector256.LoadUnsafe(ref r1, (nuint)i), q, a1);
                a2 = Vector256.FusedMultiplyAdd(Vector256.LoadUnsafe(ref r2, (nuint)i), q, a2);
                a3 = Vector256.FusedMultiplyAdd(Vector256.LoadUnsafe(ref r3, (nuint)i), q, a3);
            }

            s0 = Vector256.Sum(a0);
            s1 = Vector256.Sum(a1);
            s2 = Vector256.Sum(a2);
            s3 = Vector256.Sum(a3);
        }
        else
        {
            s0 = s1 = s2 = s3 = 0;
        }

        for (; i < dimensions; i++)
        {
            var q = Unsafe.Add(ref query, i);
            s0 += Unsafe.Add(ref r0, i) * q;
            s1 += Unsafe.Add(ref r1, i) * q;
            s2 += Unsafe.Add(ref r2, i) * q;
            s3 += Unsafe.Add(ref r3, i) * q;
        }
    }
}
