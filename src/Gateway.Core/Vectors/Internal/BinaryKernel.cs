using System.Numerics;
using System.Runtime.CompilerServices;

namespace Gateway.Core.Vectors.Internal;

/// <summary>
/// Sign-bit codes (bit set for a positive component, 64 components per word, the last word padded with
/// zero bits in rows and query alike) and their Hamming distance by XOR and popcount (<see cref="BinaryShortlist"/>
/// picks the rows to rescore by it).
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

    /// <summary>The Hamming distance of one row's code (at <paramref name="row"/>) to the query's.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int Distance(ref ulong query, ref ulong row, int words)
    {
        var distance = 0;
        for (var w = 0; w < words; w++)
        {
            distance += BitOperations.PopCount(Unsafe.Add(ref query, w) ^ Unsafe.Add(ref row, w));
        }

        return distance;
    }
}
