-- Chat over documents: an assistant message's citations, the sources of the passages it was given (a jsonb
-- array of {"index", "chunkId", "documentId", "documentName", "collectionId", "citation": {"start", "end",
-- "headingPath", "page"}}). NULL on every message written before, and on every message without them; adding a
-- nullable column without a default rewrites no rows. The ids are kept as written, without foreign keys: a
-- citation outlives the collection, document or chunk it names.
ALTER TABLE messages
    ADD COLUMN citations jsonb CONSTRAINT messages_citations_array CHECK (jsonb_typeof(citations) = 'array');
