using Gateway.Core.Storage.Rag;
using Microsoft.Data.Sqlite;

namespace Gateway.Storage.Sqlite.Rag;

/// <summary>
/// Writes chunk rows inside one transaction with one prepared statement: a new key is inserted, an
/// existing key of the collection replaced in place (the keyword index follows by trigger). Every vector
/// is stored normalised. Dispose it before the transaction ends.
/// </summary>
internal sealed class ChunkRowWriter : IAsyncDisposable
{
    private const string UpsertChunk = """
        INSERT INTO rag_chunks (id, collection_id, document_id, ordinal, text, citation_start, citation_end, heading_path, page, json_path, metadata, vector)
        VALUES ($id, $collection, $document, $ordinal, $text, $start, $end, $heading, $page, $json_path, $metadata, $vector)
        ON CONFLICT (collection_id, id) DO UPDATE SET
            document_id = excluded.document_id, ordinal = excluded.ordinal, text = excluded.text,
            citation_start = excluded.citation_start, citation_end = excluded.citation_end, heading_path = excluded.heading_path,
            page = excluded.page, json_path = excluded.json_path, metadata = excluded.metadata, vector = excluded.vector
        """;

    private readonly SqliteCommand _command;
    private readonly SqliteParameter _id;
    private readonly SqliteParameter _document;
    private readonly SqliteParameter _ordinal;
    private readonly SqliteParameter _text;
    private readonly SqliteParameter _start;
    private readonly SqliteParameter _end;
    private readonly SqliteParameter _heading;
    private readonly SqliteParameter _page;
    private readonly SqliteParameter _jsonPath;
    private readonly SqliteParameter _metadata;
    private readonly SqliteParameter _vector;

    public ChunkRowWriter(SqliteConnection connection, SqliteTransaction transaction, string collectionId)
    {
        _command = connection.CreateCommand();
        _command.Transaction = transaction;
        _command.CommandText = UpsertChunk;
        _command.Parameters.AddWithValue("$collection", collectionId);
        _id = _command.Parameters.Add("$id", SqliteType.Text);
        _document = _command.Parameters.Add("$document", SqliteType.Text);
        _ordinal = _command.Parameters.Add("$ordinal", SqliteType.Integer);
        _text = _command.Parameters.Add("$text", SqliteType.Text);
        _start = _command.Parameters.Add("$start", SqliteType.Integer);
        _end = _command.Parameters.Add("$end", SqliteType.Integer);
        _heading = _command.Parameters.Add("$heading", SqliteType.Text);
        _page = _command.Parameters.Add("$page", SqliteType.Integer);
        _jsonPath = _command.Parameters.Add("$json_path", SqliteType.Text);
        _metadata = _command.Parameters.Add("$metadata", SqliteType.Text);
        _vector = _command.Parameters.Add("$vector", SqliteType.Blob);
    }

    /// <summary>Writes one chunk; returns its vector as stored (normalised).</summary>
    public async Task<float[]> WriteAsync(
        string id, string documentId, int ordinal, string text, ChunkCitation citation, string metadata, ReadOnlyMemory<float> vector,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(citation);
        var normalized = VectorBlob.Normalized(vector.Span);
        _id.Value = id;
        _document.Value = documentId;
        _ordinal.Value = ordinal;
        _text.Value = text;
        _start.Value = citation.Start;
        _end.Value = citation.End;
        _heading.Value = (object?)citation.HeadingPath ?? DBNull.Value;
        _page.Value = (object?)citation.Page ?? DBNull.Value;
        _jsonPath.Value = (object?)citation.JsonPath ?? DBNull.Value;
        _metadata.Value = metadata;
        _vector.Value = VectorBlob.Encode(normalized);
        await _command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        return normalized;
    }

    public ValueTask DisposeAsync() => _command.DisposeAsync();
}
