using System.Buffers.Binary;
using System.Runtime.InteropServices;
using Gateway.Core.Vectors;

namespace Gateway.Storage.Sqlite.Rag;

/// <summary>How a vector is stored in <c>rag_chunks.vector</c>: its float32 components, little-endian, L2-normalised.</summary>
internal static class VectorBlob
{
    /// <summary>A unit-length copy of <paramref name="vector"/>.</summary>
    public static float[] Normalized(ReadOnlySpan<float> vector) => VectorMath.Normalized(vector);

    /// <summary>The bytes of <paramref name="vector"/> as stored.</summary>
    public static byte[] Encode(ReadOnlySpan<float> vector)
    {
        var bytes = new byte[vector.Length * sizeof(float)];
        if (BitConverter.IsLittleEndian)
        {
            MemoryMarshal.AsBytes(vector).CopyTo(bytes);
        }
        else
        {
            for (var i = 0; i < vector.Length; i++)
            {
                BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(i * sizeof(float)), vector[i]);
            }
        }

        return bytes;
    }

    /// <summary>Reads the stored <paramref name="bytes"/> into <paramref name="destination"/> (as many components as it has).</summary>
    public static void Decode(ReadOnlySpan<byte> bytes, Span<float> destination)
    {
        if (bytes.Length != destination.Length * sizeof(float))
        {
            throw new InvalidDataException($"A stored vector has {bytes.Length} bytes; its collection's {destination.Length} dimensions take {destination.Length * sizeof(float)}.");
        }

        if (BitConverter.IsLittleEndian)
        {
            MemoryMarshal.Cast<byte, float>(bytes).CopyTo(destination);
            return;
        }

        for (var i = 0; i < destination.Length; i++)
        {
            destination[i] = BinaryPrimitives.ReadSingleLittleEndian(bytes[(i * sizeof(float))..]);
        }
    }

    /// <summary>The stored <paramref name="bytes"/> as a new array of <paramref name="dimensions"/> components.</summary>
    public static float[] Decode(ReadOnlySpan<byte> bytes, int dimensions)
    {
        var vector = new float[dimensions];
        Decode(bytes, vector);
        return vector;
    }
}
