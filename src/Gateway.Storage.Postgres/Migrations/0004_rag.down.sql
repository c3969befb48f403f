-- drops-user-data
-- Collections, their documents and chunks (with the per-dimension HNSW indexes on them) and their
-- links to spaces go; spaces and conversations stay.
DROP TABLE space_collections;
DROP TABLE rag_chunks;
DROP TABLE rag_documents;
DROP TABLE rag_collections;
