using System.Data.Common;
using Gateway.Core.Storage.Rag;
using static Gateway.Core.Storage.Conversations.ConversationStoreRules;
using static Gateway.Storage.Relational.StoredRows;

namespace Gateway.Storage.Relational;

/// <summary>
/// Maps the RAG rows both engines lay out alike (<c>rag_collections</c>, <c>rag_documents</c>,
/// <c>rag_chunks</c>) to records; each engine says how it reads an instant back, and a vector where one is read.
/// </summary>
internal static class RagRows
{
    /// <summary>The columns <see cref="ReadCollection"/> expects, in order.</summary>
    public const string CollectionColumns =
        "id, name, description, space_id, embedding_model, dimensions, document_count, chunk_count, created_at, updated_at";

    /// <summary>The columns <see cref="ReadDocument"/> expects, in order.</summary>
    public const string DocumentColumns =
        "id, collection_id, name, content_hash, metadata, chunk_count, character_count, created_at, updated_at";

    /// <summary>How many columns <see cref="DocumentColumns"/> lists: the ordinal of a column read after them.</summary>
    public const int DocumentColumnCount = 9;

    /// <summary>The columns <see cref="ReadChunk"/> expects, in order; a read that wants the vector adds it last.</summary>
    public const string ChunkColumns =
        "id, collection_id, document_id, ordinal, text, citation_start, citation_end, heading_path, page, metadata, json_path";

    /// <summary>How many columns <see cref="ChunkColumns"/> lists: the ordinal of a column read after them.</summary>
    public const int ChunkColumnCount = 11;

    public static RagCollection ReadCollection(DbDataReader reader, TimeReader readTime) => new(
        Id: reader.GetString(0),
        Name: reader.GetString(1),
        Description: reader.IsDBNull(2) ? null : reader.GetString(2),
        SpaceId: reader.IsDBNull(3) ? null : reader.GetString(3),
        EmbeddingModel: reader.GetString(4),
        Dimensions: reader.GetInt32(5),
        DocumentCount: reader.GetInt64(6),
        ChunkCount: reader.GetInt64(7),
        CreatedAt: readTime(reader, 8),
        UpdatedAt: readTime(reader, 9));

    public static RagDocument ReadDocument(DbDataReader reader, TimeReader readTime) => new(
        Id: reader.GetString(0),
        CollectionId: reader.GetString(1),
        Name: reader.GetString(2),
        ContentHash: reader.GetString(3),
        Metadata: ParseMetadata(reader.GetString(4)),
        ChunkCount: reader.GetInt32(5),
        CharacterCount: reader.GetInt64(6),
        CreatedAt: readTime(reader, 7),
        UpdatedAt: readTime(reader, 8));

    /// <summary>A chunk from <see cref="ChunkColumns"/>, with the vector <paramref name="vector"/> read (or none).</summary>
    public static RagChunk ReadChunk(DbDataReader reader, ReadOnlyMemory<float>? vector = null) => new(
        Id: reader.GetString(0),
        CollectionId: reader.GetString(1),
        DocumentId: reader.GetString(2),
        Ordinal: reader.GetInt32(3),
        Text: reader.GetString(4),
        Citation: new ChunkCitation(
            reader.GetInt32(5),
            reader.GetInt32(6),
            reader.IsDBNull(7) ? null : reader.GetString(7),
            reader.IsDBNull(8) ? null : reader.GetInt32(8),
            reader.IsDBNull(10) ? null : reader.GetString(10)),
        Metadata: ParseMetadata(reader.GetString(9)),
        Vector: vector);
}
