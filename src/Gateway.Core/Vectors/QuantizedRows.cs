using System.Numerics.Tensors;
using System.Runtime.InteropServices;
using Gateway.Core.Vectors.Internal;

namespace Gateway.Core.Vectors;

/// <summary>
/// Compact codes of a float32 matrix's rows (<see cref="VectorQuantization"/>) for a fast approximate
/// first pass: the best <c>k × oversampling</c> rows by their codes are rescored exactly against the
/// float32 rows and the top <c>k</c> of those returned, so scores are exact cosine similarities and only
/// the recall is approximate. Row <c>i</c> of the codes must stay the code of row <c>i</c> of the float
/// matrix passed to the searches (<see cref="Append"/>, <see cref="Set"/>, <see cref="Truncate"/> keep
/// them in step). Searches may run concurrently; writes need the caller's lock.
/// </summary>
public sealed class QuantizedRows
{
    private byte[] _codes = [];
    private float _scale = float.NaN;

    /// <summary>Empty codes of one kind for rows of <paramref name="dimensions"/> components.</summary>
    public QuantizedRows(VectorQuantization kind, int dimensions)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(dimensions);
        Kind = kind switch
        {
            VectorQuantization.Int8 or VectorQuantization.Binary => kind,
            _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Expected Int8 or Binary."),
        };
        Dimensions = dimensions;
        BytesPerRow = kind == VectorQuantization.Int8 ? Int8Kernel.BytesPerRow(dimensions) : BinaryKernel.BytesPerRow(dimensions);
    }

    /// <summary>The kind of code.</summary>
    public VectorQuantization Kind { get; }

    /// <summary>The components of each row.</summary>
    public int Dimensions { get; }

    /// <summary>The bytes one row's code takes (padded to whole SIMD blocks or words).</summary>
    public int BytesPerRow { get; }

    /// <summary>How many rows are coded.</summary>
    public int Count { get; private set; }

    /// <summary>
    /// The oversampling measured to reach the recall targets on clustered, normalised 384-dimension data
    /// (recall@10 ≥ 0.99 for <see cref="VectorQuantization.Int8"/> at 4, ≥ 0.95 for
    /// <see cref="VectorQuantization.Binary"/> at 16).
    /// </summary>
    public static int DefaultOversampling(VectorQuantization kind) => kind == VectorQuantization.Binary ? 16 : 4;

    /// <summary>The codes of every row of <paramref name="rows"/>.</summary>
    public static QuantizedRows Encode(VectorQuantization kind, ReadOnlySpan<float> rows, int dimensions)
    {
        var codes = new QuantizedRows(kind, dimensions);
        codes.Append(rows);
        return codes;
    }

    /// <summary>Codes whole rows after the last one.</summary>
    public void Append(ReadOnlySpan<float> rows)
    {
        var added = VectorMath.CheckShape(rows, Dimensions, Dimensions, 1);
        if (Kind == VectorQuantization.Int8 && float.IsNaN(_scale) && added > 0)
        {
            var largest = MathF.Abs(TensorPrimitives.MaxMagnitude(rows));
            _scale = largest > 0 && float.IsFinite(largest) ? 127f / largest : 1f;
        }

        var needed = (long)(Count + added) * BytesPerRow;
        if (needed > _codes.Length)
        {
            Array.Resize(ref _codes, (int)Math.Min(Array.MaxLength, Math.Max(needed, 2L * _codes.Length)));
        }

        for (var i = 0; i < added; i++)
        {
            EncodeRow(Count + i, rows.Slice(i * Dimensions, Dimensions));
        }

        Count += added;
    }

    /// <summary>Replaces the code of one row.</summary>
    public void Set(int row, ReadOnlySpan<float> vector)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)row, (uint)Count, nameof(row));
        if (vector.Length != Dimensions)
        {
            throw new ArgumentException($"Expected {Dimensions} components.", nameof(vector));
        }

        EncodeRow(row, vector);
    }

    /// <summary>Keeps only the first <paramref name="count"/> rows.</summary>
    public void Truncate(int count)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan((uint)count, (uint)Count, nameof(count));
        Count = count;
    }

    /// <summary>
    /// The <paramref name="k"/> rows nearest <paramref name="query"/>: the best <c>k × oversampling</c> by
    /// code, rescored exactly against <paramref name="rows"/>; best first, ties by lower row; on the calling thread.
    /// </summary>
    /// <param name="rows">The float32 matrix these are the codes of (<see cref="Count"/> rows).</param>
    /// <param name="query">The query vector.</param>
    /// <param name="k">How many rows at most.</param>
    /// <param name="oversampling">How many candidates per result the codes nominate for rescoring (see <see cref="DefaultOversampling"/>).</param>
    public ScoredRow[] TopK(ReadOnlySpan<float> rows, ReadOnlySpan<float> query, int k, int oversampling)
    {
        var heap = new TopKHeap(CandidateCount(rows, query, k, oversampling, Count));
        ScanRows(0, Count, query, heap);
        return Rescore(rows, query, k, heap);
    }

    /// <summary>Like <see cref="TopK(ReadOnlySpan{float}, ReadOnlySpan{float}, int, int)"/>, over only the rows in <paramref name="candidateRows"/> (each listed once).</summary>
    public ScoredRow[] TopK(ReadOnlySpan<float> rows, ReadOnlySpan<float> query, int k, int oversampling, ReadOnlySpan<int> candidateRows)
    {
        var size = CandidateCount(rows, query, k, oversampling, candidateRows.Length);
        VectorMath.CheckCandidates(candidateRows, Count);
        if (size >= candidateRows.Length)
        {
            return VectorMath.TopK(rows, Dimensions, query, k, candidateRows);
        }

        var heap = new TopKHeap(size);
        if (Kind == VectorQuantization.Int8)
        {
            Int8Kernel.Candidates(_codes, BytesPerRow, candidateRows, Int8Query(query), heap);
        }
        else
        {
            BinaryKernel.Candidates(_codes, BytesPerRow / sizeof(ulong), candidateRows, BinaryQuery(query), heap);
        }

        return Rescore(rows, query, k, heap);
    }

    /// <summary>Like <see cref="TopK(ReadOnlySpan{float}, ReadOnlySpan{float}, int, int)"/>, with the code scan split over up to <paramref name="maxDegreeOfParallelism"/> threads (0 or less: one per processor).</summary>
    public ScoredRow[] TopKParallel(ReadOnlyMemory<float> rows, ReadOnlyMemory<float> query, int k, int oversampling, int maxDegreeOfParallelism = 0)
    {
        var size = CandidateCount(rows.Span, query.Span, k, oversampling, Count);
        var heaps = RowPartitions.Scan(Count, size, 1, maxDegreeOfParallelism, (start, end, partition) => ScanRows(start, end, query.Span, partition[0]));
        return Rescore(rows.Span, query.Span, k, heaps[0]);
    }

    private int CandidateCount(ReadOnlySpan<float> rows, ReadOnlySpan<float> query, int k, int oversampling, int available)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(oversampling);
        if (VectorMath.CheckShape(rows, Dimensions, query.Length, k) != Count)
        {
            throw new ArgumentException($"Expected the {Count} rows these are the codes of.", nameof(rows));
        }

        return (int)Math.Min(available, (long)k * oversampling);
    }

    private void ScanRows(int start, int end, ReadOnlySpan<float> query, TopKHeap heap)
    {
        if (Kind == VectorQuantization.Int8)
        {
            Int8Kernel.Rows(_codes, BytesPerRow, start, end, Int8Query(query), heap);
        }
        else
        {
            BinaryKernel.Rows(_codes, BytesPerRow / sizeof(ulong), start, end, BinaryQuery(query), heap);
        }
    }

    private ScoredRow[] Rescore(ReadOnlySpan<float> rows, ReadOnlySpan<float> query, int k, TopKHeap candidates)
    {
        var candidateRows = candidates.Rows();
        Array.Sort(candidateRows);
        var heap = new TopKHeap(Math.Min(k, candidateRows.Length));
        FloatScan.Candidates(rows, Dimensions, candidateRows, query, heap);
        return heap.ToSortedArray();
    }

    private sbyte[] Int8Query(ReadOnlySpan<float> query)
    {
        var codes = new sbyte[BytesPerRow];
        Int8Kernel.EncodeQuery(query, codes);
        return codes;
    }

    private ulong[] BinaryQuery(ReadOnlySpan<float> query)
    {
        var words = new ulong[BytesPerRow / sizeof(ulong)];
        BinaryKernel.Encode(query, words);
        return words;
    }

    private void EncodeRow(int row, ReadOnlySpan<float> vector)
    {
        var codes = _codes.AsSpan(row * BytesPerRow, BytesPerRow);
        if (Kind == VectorQuantization.Int8)
        {
            Int8Kernel.EncodeRow(vector, _scale, codes);
        }
        else
        {
            BinaryKernel.Encode(vector, MemoryMarshal.Cast<byte, ulong>(codes));
        }
    }
}
