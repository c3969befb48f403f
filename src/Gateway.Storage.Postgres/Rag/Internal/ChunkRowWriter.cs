using Gateway.Core.Storage.Rag;
using Gateway.Core.Vectors;
using Npgsql;

namespace Gateway.Storage.Postgres.Rag.Internal;

/// <summary>
/// Writes chunk rows of one collection in one statement: the columns go as arrays that <c>unnest</c>
/// turns into rows, the vectors as one flat <c>real[]</c> that each row slices its own from. A chunk whose
/// key exists is replaced (<c>ON CONFLICT</c>), and loses the pending vector a re-embedding wrote for it; the statement
/// returns how many rows were new.
/// </summary>
internal sealed class ChunkRowWriter(string collectionId, int dimensions)
{
    // A chunk rewritten by key loses any pending vector of a re-embedding (embedded from its old text), as SQLite's update trigger does.
    private const string Upsert = """
        WITH stale AS (DELETE FROM rag_pending_vectors WHERE collection_id = @collection AND chunk_id = ANY(@ids::text[]))
        INSERT INTO rag_chunks (collection_id, id, document_id, ordinal, text, citation_start, citation_end, heading_path, page,
                                json_path, metadata, metadata_dates, dimensions, embedding)
        SELECT @collection, u.id, u.document_id, u.ordinal, u.text, u.citation_start, u.citation_end, u.heading_path, u.page,
               u.json_path, u.metadata::jsonb, u.metadata_dates::jsonb, @dimensions, (@vectors::real[])[(u.n - 1) * @dimensions + 1 : u.n * @dimensions]
        FROM unnest(@ids::text[], @documents::text[], @ordinals::integer[], @texts::text[], @starts::integer[], @ends::integer[],
                    @headings::text[], @pages::integer[], @json_paths::text[], @metadata::text[], @dates::text[])
             WITH ORDINALITY AS u (id, document_id, ordinal, text, citation_start, citation_end, heading_path, page, json_path, metadata, metadata_dates, n)
        ON CONFLICT (collection_id, id) DO UPDATE SET
            document_id = excluded.document_id, ordinal = excluded.ordinal, text = excluded.text,
            citation_start = excluded.citation_start, citation_end = excluded.citation_end, heading_path = excluded.heading_path,
            page = excluded.page, json_path = excluded.json_path, metadata = excluded.metadata, metadata_dates = excluded.metadata_dates, embedding = excluded.embedding
        RETURNING (xmax = 0)
        """;

    private readonly List<string> _ids = [];
    private readonly List<string> _documents = [];
    private readonly List<int> _ordinals = [];
    private readonly List<string> _texts = [];
    private readonly List<int> _starts = [];
    private readonly List<int> _ends = [];
    private readonly List<string?> _headings = [];
    private readonly List<int?> _pages = [];
    private readonly List<string?> _jsonPaths = [];
    private readonly List<string> _metadata = [];
    private readonly List<string?> _dates = [];
    private readonly List<float> _vectors = [];

    public int Count => _ids.Count;

    /// <summary>Adds a row with its metadata's checked JSON text and that text's <see cref="MetadataDates"/>; the vector is stored L2-normalised.</summary>
    public void Add(
        string id, string documentId, int ordinal, string text, ChunkCitation citation, string metadata, string? metadataDates, ReadOnlySpan<float> vector)
    {
        ArgumentNullException.ThrowIfNull(citation);
        _ids.Add(id);
        _documents.Add(documentId);
        _ordinals.Add(ordinal);
        _texts.Add(text);
        _starts.Add(citation.Start);
        _ends.Add(citation.End);
        _headings.Add(citation.HeadingPath);
        _pages.Add(citation.Page);
        _jsonPaths.Add(citation.JsonPath);
        _metadata.Add(metadata);
        _dates.Add(metadataDates);
        _vectors.AddRange(VectorMath.Normalized(vector));
    }

    /// <summary>Writes the rows added; returns how many of them were new keys.</summary>
    public async Task<int> WriteAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, CancellationToken cancellationToken)
    {
        if (Count == 0)
        {
            return 0;
        }

        var command = new NpgsqlCommand(Upsert, connection, transaction);
        await using (command.ConfigureAwait(false))
        {
            var parameters = command.Parameters;
            parameters.AddWithValue("collection", collectionId);
            parameters.AddWithValue("dimensions", dimensions);
            parameters.AddWithValue("vectors", _vectors.ToArray());
            parameters.AddWithValue("ids", _ids.ToArray());
            parameters.AddWithValue("documents", _documents.ToArray());
            parameters.AddWithValue("ordinals", _ordinals.ToArray());
            parameters.AddWithValue("texts", _texts.ToArray());
            parameters.AddWithValue("starts", _starts.ToArray());
            parameters.AddWithValue("ends", _ends.ToArray());
            parameters.AddWithValue("headings", _headings.ToArray());
            parameters.AddWithValue("pages", _pages.ToArray());
            parameters.AddWithValue("json_paths", _jsonPaths.ToArray());
            parameters.AddWithValue("metadata", _metadata.ToArray());
            parameters.AddWithValue("dates", _dates.ToArray());
            var inserted = 0;
            var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    inserted += reader.GetBoolean(0) ? 1 : 0;
                }
            }

            return inserted;
        }
    }
}
