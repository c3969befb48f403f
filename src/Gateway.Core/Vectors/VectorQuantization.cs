namespace Gateway.Core.Vectors;

/// <summary>How <see cref="QuantizedRows"/> codes each vector for its first, approximate pass.</summary>
public enum VectorQuantization
{
    /// <summary>No codes: exact float32 scans only.</summary>
    None = 0,

    /// <summary>
    /// One signed byte per component with one scale for the whole matrix (127 over the largest magnitude of
    /// the first rows coded; later components beyond it saturate), scored by integer dot products: a
    /// quarter of the float32 bytes.
    /// </summary>
    Int8 = 1,

    /// <summary>One bit per component (its sign), scored by Hamming distance (XOR and popcount): a 32nd of the float32 bytes.</summary>
    Binary = 2,
}
