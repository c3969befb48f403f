-- Folder sources of RAG collections and what their syncs saw; the table and column names are SQLite's
-- (migration 11 there), so both engines share one store. include and exclude are JSON arrays of globs,
-- as text. A sync is claimed by a conditional UPDATE of sync_claim (a token, with an expiry so a claim
-- whose replica died lets go): of replicas racing for one source, the row lock lets one UPDATE match.
-- Once its ingestion has started, sync_ingestion_id holds it and rag_source_changes the files it sent
-- (new or changed, or removed), until the sync is recorded: then those changes become rows of
-- rag_source_files, the state the next sync compares the folder against. modified_ticks is the file's
-- modification time in 100 ns ticks (timestamptz keeps only microseconds), so an untouched file always
-- compares equal. Deleting a collection deletes its sources, and a source its rows, by ON DELETE CASCADE.
CREATE TABLE rag_sources (
    id                 text COLLATE "C" PRIMARY KEY,
    collection_id      text COLLATE "C" NOT NULL REFERENCES rag_collections (id) ON DELETE CASCADE,
    root               text NOT NULL,
    path               text NOT NULL,
    include            text NOT NULL,
    exclude            text NOT NULL,
    created_at         timestamptz NOT NULL,
    last_synced_at     timestamptz,
    last_ingestion_id  text COLLATE "C",
    sync_ingestion_id  text COLLATE "C",
    sync_claim         text COLLATE "C",
    sync_claimed_until timestamptz
);

CREATE INDEX rag_sources_by_collection ON rag_sources (collection_id, id);

CREATE TABLE rag_source_files (
    source_id      text COLLATE "C" NOT NULL REFERENCES rag_sources (id) ON DELETE CASCADE,
    path           text COLLATE "C" NOT NULL,
    size           bigint NOT NULL,
    modified_ticks bigint NOT NULL,
    document_name  text COLLATE "C" NOT NULL,
    content_hash   text,
    PRIMARY KEY (source_id, path)
);

CREATE TABLE rag_source_changes (
    source_id      text COLLATE "C" NOT NULL REFERENCES rag_sources (id) ON DELETE CASCADE,
    path           text COLLATE "C" NOT NULL,
    size           bigint NOT NULL,
    modified_ticks bigint NOT NULL,
    document_name  text COLLATE "C" NOT NULL,
    removed        boolean NOT NULL,
    failed         boolean NOT NULL,
    PRIMARY KEY (source_id, path)
);
