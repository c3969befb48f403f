-- drops-user-data
-- The folder sources and their sync state go; the documents they ingested stay in their collections.
DROP TABLE rag_source_changes;
DROP TABLE rag_source_files;
DROP TABLE rag_sources;
