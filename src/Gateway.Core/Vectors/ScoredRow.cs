namespace Gateway.Core.Vectors;

/// <summary>One row of a vector matrix and its similarity to a query.</summary>
/// <param name="Row">The 0-based row index.</param>
/// <param name="Score">Its dot product with the query (cosine similarity for normalised vectors).</param>
public readonly record struct ScoredRow(int Row, float Score);
