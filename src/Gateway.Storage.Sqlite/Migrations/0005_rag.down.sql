-- drops-user-data
-- Collections, their documents, chunks, vectors and keyword index, and the space links go.
DROP TRIGGER rag_documents_delete;
DROP TRIGGER rag_documents_insert;
DROP TRIGGER rag_chunks_update;
DROP TRIGGER rag_chunks_delete;
DROP TRIGGER rag_chunks_insert;
DROP TABLE rag_chunks_fts;
DROP TABLE space_collections;
DROP TABLE rag_chunks;
DROP TABLE rag_documents;
DROP TABLE rag_collections;
