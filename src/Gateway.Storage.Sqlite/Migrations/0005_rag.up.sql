-- Retrieval: collections of documents split into chunks, each chunk with its vector and in a keyword
-- index. name_key is the name as ModelProfileRules.NameKey folds it (unique, ignoring case). A
-- collection that belongs to a space keeps existing when the space goes (its space_id becomes NULL);
-- links from spaces to collections go with either side. Deleting a collection or a document removes
-- its chunks by ON DELETE CASCADE, and their keyword entries and counts by the triggers below, in the
-- same transaction.
CREATE TABLE rag_collections (
    id              TEXT PRIMARY KEY NOT NULL,
    name            TEXT NOT NULL,
    name_key        TEXT NOT NULL,
    description     TEXT,
    space_id        TEXT REFERENCES spaces (id) ON DELETE SET NULL,
    embedding_model TEXT NOT NULL,
    dimensions      INTEGER NOT NULL CHECK (dimensions BETWEEN 1 AND 2000),
    document_count  INTEGER NOT NULL DEFAULT 0,
    chunk_count     INTEGER NOT NULL DEFAULT 0,
    -- Raised by every change to the collection's chunks: a process that mirrors the vectors in memory
    -- compares it to know whether its copy is still the stored one (another process may have written).
    vector_version  INTEGER NOT NULL DEFAULT 0,
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL
);

CREATE UNIQUE INDEX rag_collections_by_name_key ON rag_collections (name_key);
CREATE INDEX rag_collections_by_space ON rag_collections (space_id) WHERE space_id IS NOT NULL;

CREATE TABLE rag_documents (
    id              TEXT PRIMARY KEY NOT NULL,
    collection_id   TEXT NOT NULL REFERENCES rag_collections (id) ON DELETE CASCADE,
    name            TEXT NOT NULL,
    content_hash    TEXT NOT NULL,
    metadata        TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(metadata) AND json_type(metadata) = 'object'),
    chunk_count     INTEGER NOT NULL DEFAULT 0,
    character_count INTEGER NOT NULL,
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL,
    UNIQUE (collection_id, name)
);

-- seq is the rowid the keyword index refers to; id is the chunk's key within its collection (a
-- UUIDv7 for chunks of a document write, the caller's key for chunks written by key). metadata is what
-- filters match: the document's, unless the chunk was written with its own. vector is float32
-- little-endian, L2-normalised by the store.
CREATE TABLE rag_chunks (
    seq            INTEGER PRIMARY KEY,
    id             TEXT NOT NULL,
    collection_id  TEXT NOT NULL REFERENCES rag_collections (id) ON DELETE CASCADE,
    document_id    TEXT NOT NULL REFERENCES rag_documents (id) ON DELETE CASCADE,
    ordinal        INTEGER NOT NULL,
    text           TEXT NOT NULL,
    citation_start INTEGER NOT NULL,
    citation_end   INTEGER NOT NULL,
    heading_path   TEXT,
    page           INTEGER,
    metadata       TEXT NOT NULL CHECK (json_valid(metadata) AND json_type(metadata) = 'object'),
    vector         BLOB NOT NULL,
    UNIQUE (collection_id, id)
);

CREATE INDEX rag_chunks_by_document ON rag_chunks (document_id, ordinal);

CREATE TABLE space_collections (
    space_id      TEXT NOT NULL REFERENCES spaces (id) ON DELETE CASCADE,
    collection_id TEXT NOT NULL REFERENCES rag_collections (id) ON DELETE CASCADE,
    PRIMARY KEY (space_id, collection_id)
) WITHOUT ROWID;

CREATE INDEX space_collections_by_collection ON space_collections (collection_id);

-- Keyword search over chunk text, tokenised as message search is (unicode61, which Fts5Tokenizer
-- mirrors for BM25).
CREATE VIRTUAL TABLE rag_chunks_fts USING fts5 (
    text,
    content = 'rag_chunks',
    content_rowid = 'seq',
    prefix = '2 3'
);

CREATE TRIGGER rag_chunks_insert AFTER INSERT ON rag_chunks
BEGIN
    INSERT INTO rag_chunks_fts (rowid, text) VALUES (new.seq, new.text);
    UPDATE rag_documents SET chunk_count = chunk_count + 1 WHERE id = new.document_id;
    UPDATE rag_collections SET chunk_count = chunk_count + 1, vector_version = vector_version + 1 WHERE id = new.collection_id;
END;

CREATE TRIGGER rag_chunks_delete AFTER DELETE ON rag_chunks
BEGIN
    INSERT INTO rag_chunks_fts (rag_chunks_fts, rowid, text) VALUES ('delete', old.seq, old.text);
    UPDATE rag_documents SET chunk_count = chunk_count - 1 WHERE id = old.document_id;
    UPDATE rag_collections SET chunk_count = chunk_count - 1, vector_version = vector_version + 1 WHERE id = old.collection_id;
END;

CREATE TRIGGER rag_chunks_update AFTER UPDATE ON rag_chunks
BEGIN
    INSERT INTO rag_chunks_fts (rag_chunks_fts, rowid, text) VALUES ('delete', old.seq, old.text);
    INSERT INTO rag_chunks_fts (rowid, text) VALUES (new.seq, new.text);
    UPDATE rag_documents SET chunk_count = chunk_count - 1 WHERE id = old.document_id;
    UPDATE rag_documents SET chunk_count = chunk_count + 1 WHERE id = new.document_id;
    UPDATE rag_collections SET vector_version = vector_version + 1 WHERE id = new.collection_id;
END;

CREATE TRIGGER rag_documents_insert AFTER INSERT ON rag_documents
BEGIN
    UPDATE rag_collections SET document_count = document_count + 1 WHERE id = new.collection_id;
END;

CREATE TRIGGER rag_documents_delete AFTER DELETE ON rag_documents
BEGIN
    UPDATE rag_collections SET document_count = document_count - 1 WHERE id = old.collection_id;
END;
