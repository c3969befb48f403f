-- Re-embedding a collection with another model: the model and dimensions it is moving to, and the job
-- that owns the move (one per collection). The new vectors are written beside the old ones, one per
-- chunk, while searches keep reading rag_chunks.vector; the swap copies them over in one transaction.
-- Cancelling deletes the row, and its pending vectors go with it; so does deleting the chunk or the collection.
CREATE TABLE rag_reembeddings (
    collection_id   TEXT PRIMARY KEY NOT NULL REFERENCES rag_collections (id) ON DELETE CASCADE,
    embedding_model TEXT NOT NULL,
    dimensions      INTEGER NOT NULL CHECK (dimensions BETWEEN 1 AND 2000),
    job_id          TEXT NOT NULL,
    started_at      TEXT NOT NULL
);

-- vector is float32 little-endian, L2-normalised, of the re-embedding's dimensions.
CREATE TABLE rag_pending_vectors (
    collection_id TEXT NOT NULL REFERENCES rag_reembeddings (collection_id) ON DELETE CASCADE,
    chunk_id      TEXT NOT NULL,
    vector        BLOB NOT NULL,
    PRIMARY KEY (collection_id, chunk_id),
    FOREIGN KEY (collection_id, chunk_id) REFERENCES rag_chunks (collection_id, id) ON DELETE CASCADE
) WITHOUT ROWID;

-- The update trigger of migration 5 re-indexed a chunk's keywords on any change; the swap changes only
-- vectors, so the keyword entries are now rewritten only when the text is, and the document counts only
-- when the document is. Any change still raises vector_version, which the in-memory mirrors compare.
DROP TRIGGER rag_chunks_update;

CREATE TRIGGER rag_chunks_update_text AFTER UPDATE OF text ON rag_chunks
BEGIN
    INSERT INTO rag_chunks_fts (rag_chunks_fts, rowid, text) VALUES ('delete', old.seq, old.text);
    INSERT INTO rag_chunks_fts (rowid, text) VALUES (new.seq, new.text);
    -- A pending vector was embedded from the text before: the re-embedding embeds the chunk again.
    DELETE FROM rag_pending_vectors WHERE collection_id = new.collection_id AND chunk_id = new.id;
END;

CREATE TRIGGER rag_chunks_update_document AFTER UPDATE OF document_id ON rag_chunks
BEGIN
    UPDATE rag_documents SET chunk_count = chunk_count - 1 WHERE id = old.document_id;
    UPDATE rag_documents SET chunk_count = chunk_count + 1 WHERE id = new.document_id;
END;

CREATE TRIGGER rag_chunks_update AFTER UPDATE ON rag_chunks
BEGIN
    UPDATE rag_collections SET vector_version = vector_version + 1 WHERE id = new.collection_id;
END;
