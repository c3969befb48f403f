-- Chat over documents: an assistant message's citations, the sources of the passages it was given (a JSON
-- array of {"index", "chunkId", "documentId", "documentName", "collectionId", "citation": {"start", "end",
-- "headingPath", "page"}}). NULL on every message written before, and on every message without them. The
-- ids are kept as written: a citation outlives the collection, document or chunk it names.
ALTER TABLE messages ADD COLUMN citations TEXT CHECK (citations IS NULL OR (json_valid(citations) AND json_type(citations) = 'array'));
