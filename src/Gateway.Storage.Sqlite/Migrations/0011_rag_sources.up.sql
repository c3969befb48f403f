-- Folder sources of RAG collections and what their syncs saw. include and exclude are JSON arrays of
-- globs, as text. A sync is claimed by a conditional UPDATE of sync_claim (a token, with an expiry so a
-- claim whose process died lets go); once its ingestion has started, sync_ingestion_id holds it and
-- rag_source_changes the files it sent (new or changed, or removed), until the sync is recorded: then
-- those changes become rows of rag_source_files, the state the next sync compares the folder against.
-- modified_ticks is the file's modification time in 100 ns ticks, exactly as the file system gave it,
-- so an untouched file always compares equal. Deleting a collection deletes its sources, and a source
-- its rows, by ON DELETE CASCADE; the documents a source ingested stay with the collection until then.
CREATE TABLE rag_sources (
    id                 TEXT PRIMARY KEY NOT NULL,
    collection_id      TEXT NOT NULL REFERENCES rag_collections (id) ON DELETE CASCADE,
    root               TEXT NOT NULL,
    path               TEXT NOT NULL,
    include            TEXT NOT NULL,
    exclude            TEXT NOT NULL,
    created_at         TEXT NOT NULL,
    last_synced_at     TEXT,
    last_ingestion_id  TEXT,
    sync_ingestion_id  TEXT,
    sync_claim         TEXT,
    sync_claimed_until TEXT
);

CREATE INDEX rag_sources_by_collection ON rag_sources (collection_id, id);

CREATE TABLE rag_source_files (
    source_id      TEXT NOT NULL REFERENCES rag_sources (id) ON DELETE CASCADE,
    path           TEXT NOT NULL,
    size           INTEGER NOT NULL,
    modified_ticks INTEGER NOT NULL,
    document_name  TEXT NOT NULL,
    content_hash   TEXT,
    PRIMARY KEY (source_id, path)
) WITHOUT ROWID;

CREATE TABLE rag_source_changes (
    source_id      TEXT NOT NULL REFERENCES rag_sources (id) ON DELETE CASCADE,
    path           TEXT NOT NULL,
    size           INTEGER NOT NULL,
    modified_ticks INTEGER NOT NULL,
    document_name  TEXT NOT NULL,
    removed        INTEGER NOT NULL,
    failed         INTEGER NOT NULL,
    PRIMARY KEY (source_id, path)
) WITHOUT ROWID;
