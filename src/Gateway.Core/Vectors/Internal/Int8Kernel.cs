using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Gateway.Core.Vectors.Internal;

/// <summary>
/// Int8 codes and their dot products. A row component is stored as an unsigned byte (its code + 128) and
/// the query as signed bytes, so one AVX-VNNI instruction multiplies and sums 32 pairs; the +128 adds
/// 128 × Σ query codes to every row's score alike, which leaves the ranking unchanged. Rows are padded
/// to whole 32-byte vectors with the code of 0 (and the query with 0), which adds nothing.
/// </summary>
internal static class Int8Kernel
{
    private const int Block = 32;

    public static int BytesPerRow(int dimensions) => (dimensions + Block - 1) / Block * Block;

    public static void EncodeRow(ReadOnlySpan<float> vector, float scale, Span<byte> codes)
    {
        codes.Fill(128);
        for (var i = 0; i < vector.Length; i++)
        {
            codes[i] = (byte)(Code(vector[i] * scale) + 128);
        }
    }

    public static void EncodeQuery(ReadOnlySpan<float> query, Span<sbyte> codes)
    {
        codes.Clear();
        var largest = MathF.Abs(TensorPrimitives.MaxMagnitude(query));
        var scale = largest > 0 && float.IsFinite(largest) ? 127f / largest : 0f;
        for (var i = 0; i < query.Length; i++)
        {
            codes[i] = (sbyte)Code(query[i] * scale);
        }
    }

    public static void Rows(byte[] codes, int bytesPerRow, int start, int end, ReadOnlySpan<sbyte> query, TopKHeap heap)
    {
        ref var q = ref MemoryMarshal.GetReference(query);
        ref var m = ref MemoryMarshal.GetArrayDataReference(codes);
        var row = start;
        for (; row <= end - 4; row += 4)
        {
            ref var r0 = ref Unsafe.Add(ref m, (nint)row * bytesPerRow);
            Dot4(ref q, ref r0, ref Unsafe.Add(ref r0, bytesPerRow), ref Unsafe.Add(ref r0, 2 * bytesPerRow), ref Unsafe.Add(ref r0, 3 * bytesPerRow),
                bytesPerRow, out var s0, out var s1, out var s2, out var s3);
            heap.Offer(row, s0);
            heap.Offer(row + 1, s1);
            heap.Offer(row + 2, s2);
            heap.Offer(row + 3, s3);
        }

        for (; row < end; row++)
        {
            heap.Offer(row, Dot(ref q, ref Unsafe.Add(ref m, (nint)row * bytesPerRow), bytesPerRow));
        }
    }

    public static void Candidates(byte[] codes, int bytesPerRow, ReadOnlySpan<int> candidateRows, ReadOnlySpan<sbyte> query, TopKHeap heap)
    {
        ref var q = ref MemoryMarshal.GetReference(query);
        ref var m = ref MemoryMarshal.GetArrayDataReference(codes);
        foreach (var row in candidateRows)
        {
            heap.Offer(row, Dot(ref q, ref Unsafe.Add(ref m, (nint)row * bytesPerRow), bytesPerRow));
        }
    }

    private static int Code(float scaled) => (int)Math.Clamp(MathF.Round(scaled), -127f, 127f);

    private static int Dot(ref sbyte query, ref byte row, int bytesPerRow)
    {
        Dot4(ref query, ref row, ref row, ref row, ref row, bytesPerRow, out var score, out _, out _, out _);
        return score;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Dot4(
        ref sbyte query, ref byte r0, ref byte r1, ref byte r2, ref byte r3, int bytesPerRow,
        out int s0, out int s1, out int s2, out int s3)
    {
        if (AvxVnni.IsSupported)
        {
            var a0 = Vector256<int>.Zero;
            var a1 = Vector256<int>.Zero;
            var a2 = Vector256<int>.Zero;
            var a3 = Vector256<int>.Zero;
            for (var i = 0; i < bytesPerRow; i += Block)
            {
                var q = Vector256.LoadUnsafe(ref query, (nuint)i);
                a0 = AvxVnni.MultiplyWideningAndAdd(a0, Vector256.LoadUnsafe(ref r0, (nuint)i), q);
                a1 = AvxVnni.MultiplyWideningAndAdd(a1, Vector256.LoadUnsafe(ref r1, (nuint)i), q);
                a2 = AvxVnni.MultiplyWideningAndAdd(a2, Vector256.LoadUnsafe(ref r2, (nuint)i), q);
                a3 = AvxVnni.MultiplyWideningAndAdd(a3, Vector256.LoadUnsafe(ref r3, (nuint)i), q);
            }

            (s0, s1, s2, s3) = (Vector256.Sum(a0), Vector256.Sum(a1), Vector256.Sum(a2), Vector256.Sum(a3));
        }
        else if (Avx2.IsSupported)
        {
            var a0 = Vector256<int>.Zero;
            var a1 = Vector256<int>.Zero;
            var a2 = Vector256<int>.Zero;
            var a3 = Vector256<int>.Zero;
            for (var i = 0; i < bytesPerRow; i += Block)
            {
                var (qLow, qHigh) = Vector256.Widen(Vector256.LoadUnsafe(ref query, (nuint)i));
                a0 = MultiplyAdd(a0, Vector256.LoadUnsafe(ref r0, (nuint)i), qLow, qHigh);
                a1 = MultiplyAdd(a1, Vector256.LoadUnsafe(ref r1, (nuint)i), qLow, qHigh);
                a2 = MultiplyAdd(a2, Vector256.LoadUnsafe(ref r2, (nuint)i), qLow, qHigh);
                a3 = MultiplyAdd(a3, Vector256.LoadUnsafe(ref r3, (nuint)i), qLow, qHigh);
            }

            (s0, s1, s2, s3) = (Vector256.Sum(a0), Vector256.Sum(a1), Vector256.Sum(a2), Vector256.Sum(a3));
        }
        else
        {
            s0 = s1 = s2 = s3 = 0;
            for (var i = 0; i < bytesPerRow; i++)
            {
                int q = Unsafe.Add(ref query, i);
                s0 += Unsafe.Add(ref r0, i) * q;
                s1 += Unsafe.Add(ref r1, i) * q;
                s2 += Unsafe.Add(ref r2, i) * q;
                s3 += Unsafe.Add(ref r3, i) * q;
            }
        }
    }

    /// <summary>Widens 32 row bytes to 16-bit (0 to 255 fits a short) and adds their products with the widened query, pairwise summed.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<int> MultiplyAdd(Vector256<int> sum, Vector256<byte> row, Vector256<short> qLow, Vector256<short> qHigh)
    {
        var (low, high) = Vector256.Widen(row);
        return sum + Avx2.MultiplyAddAdjacent(low.AsInt16(), qLow) + Avx2.MultiplyAddAdjacent(high.AsInt16(), qHigh);
    }
}
