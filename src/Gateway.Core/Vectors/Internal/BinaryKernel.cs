using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Gateway.Core.Vectors.Internal;

/// <summary>
/// Sign-bit codes (bit set for a positive component, 64 components per word, the last word padded with
/// zero bits in rows and query alike) and their Hamming distance by XOR and popcount. The score offered to
/// the heap is minus the distance, so the nearest codes rank highest.
/// </summary>
internal static class BinaryKernel
{
    public static int BytesPerRow(int dimensions) => (dimensions + 63) / 64 * sizeof(ulong);

    public static void Encode(ReadOnlySpan<float> vector, Span<ulong> words)
    {
        words.Clear();
        for (var i = 0; i < vector.Length; i++)
        {
            if (vector[i] > 0)
            {
                words[i >> 6] |= 1UL << (i & 63);
            }
        }
    }

    public static void Rows(byte[] codes, int wordsPerRow, int start, int end, ReadOnlySpan<ulong> query, TopKHeap heap)
    {
        ref var q = ref MemoryMarshal.GetReference(query);
        ref var m = ref Unsafe.As<byte, ulong>(ref MemoryMarshal.GetArrayDataReference(codes));
        for (var row = start; row < end; row++)
        {
            heap.Offer(row, -Distance(ref q, ref Unsafe.Add(ref m, (nint)row * wordsPerRow), wordsPerRow));
        }
    }

    public static void Candidates(byte[] codes, int wordsPerRow, ReadOnlySpan<int> candidateRows, ReadOnlySpan<ulong> query, TopKHeap heap)
    {
        ref var q = ref MemoryMarshal.GetReference(query);
        ref var m = ref Unsafe.As<byte, ulong>(ref MemoryMarshal.GetArrayDataReference(codes));
        foreach (var row in candidateRows)
        {
            heap.Offer(row, -Distance(ref q, ref Unsafe.Add(ref m, (nint)row * wordsPerRow), wordsPerRow));
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int Distance(ref ulong query, ref ulong row, int words)
    {
        var distance = 0;
        for (var w = 0; w < words; w++)
        {
            distance += BitOperations.PopCount(Unsafe.Add(ref query, w) ^ Unsafe.Add(ref row, w));
        }

        return distance;
    }
}
