-- drops-user-data
-- Re-embeddings under way go with their pending vectors; every collection keeps the vectors and model it
-- has. The update trigger of migration 5 comes back.
DROP TRIGGER rag_chunks_update;
DROP TRIGGER rag_chunks_update_document;
DROP TRIGGER rag_chunks_update_text;
DROP TABLE rag_pending_vectors;
DROP TABLE rag_reembeddings;

CREATE TRIGGER rag_chunks_update AFTER UPDATE ON rag_chunks
BEGIN
    INSERT INTO rag_chunks_fts (rag_chunks_fts, rowid, text) VALUES ('delete', old.seq, old.text);
    INSERT INTO rag_chunks_fts (rowid, text) VALUES (new.seq, new.text);
    UPDATE rag_documents SET chunk_count = chunk_count - 1 WHERE id = old.document_id;
    UPDATE rag_documents SET chunk_count = chunk_count + 1 WHERE id = new.document_id;
    UPDATE rag_collections SET vector_version = vector_version + 1 WHERE id = new.collection_id;
END;
