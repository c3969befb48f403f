using Microsoft.Extensions.VectorData;

namespace Gateway.Rag.VectorData;

/// <summary>
/// A chunk of a RAG collection as a Microsoft.Extensions.VectorData record, for code written against
/// <see cref="VectorStoreCollection{TKey, TRecord}"/>. Filters can look at <see cref="DocumentId"/> and at
/// <see cref="Metadata"/> entries, e.g. <c>r =&gt; (string)r.Metadata["lang"] == "en" &amp;&amp; (long)r.Metadata["year"] &gt;= 2020</c>.
/// </summary>
public sealed class RagChunkRecord
{
    /// <summary>The chunk's key: a sortable id for chunks the gateway wrote, or the key a caller chose.</summary>
    [VectorStoreKey]
    public string Key { get; set; } = "";

    /// <summary>
    /// The id of the document the chunk belongs to. On upsert, leave it empty and set <see cref="DocumentName"/>
    /// to have the document found by name (or created, empty, when the collection has none of that name).
    /// </summary>
    [VectorStoreData]
    public string? DocumentId { get; set; }

    /// <summary>The name of the document the chunk belongs to.</summary>
    [VectorStoreData]
    public string? DocumentName { get; set; }

    /// <summary>Its 0-based position in the document.</summary>
    [VectorStoreData]
    public int Ordinal { get; set; }

    /// <summary>Its text (searched by keyword through the gateway's own API).</summary>
    [VectorStoreData(IsFullTextIndexed = true)]
    public string Text { get; set; } = "";

    /// <summary>The UTF-16 offset of its first character in the document's text.</summary>
    [VectorStoreData]
    public int Start { get; set; }

    /// <summary>The UTF-16 offset just past its last character.</summary>
    [VectorStoreData]
    public int End { get; set; }

    /// <summary>The headings above it, outermost first, when the document has them.</summary>
    [VectorStoreData]
    public string? HeadingPath { get; set; }

    /// <summary>The 1-based page it starts on, when the document has pages.</summary>
    [VectorStoreData]
    public int? Page { get; set; }

    /// <summary>
    /// What filters match against, read from JSON: strings, <see cref="long"/> or <see cref="double"/> numbers,
    /// booleans, <see langword="null"/>, <c>object?[]</c> arrays and nested dictionaries. On upsert,
    /// <see langword="null"/> means the document's metadata.
    /// </summary>
    [VectorStoreData(IsIndexed = true)]
    public Dictionary<string, object?>? Metadata { get; set; }

    /// <summary>Its embedding, with the collection's dimensions (stored L2-normalised; empty when a read did not ask for vectors).</summary>
    [VectorStoreVector(384, DistanceFunction = DistanceFunction.CosineSimilarity)]
    public ReadOnlyMemory<float> Vector { get; set; }
}
