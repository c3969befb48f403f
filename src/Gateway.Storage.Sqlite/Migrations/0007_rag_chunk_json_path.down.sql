-- drops-user-data
-- The JSON paths of chunk citations go; the chunks stay.
ALTER TABLE rag_chunks DROP COLUMN json_path;
