-- Retrieval: collections of documents split into chunks, each chunk with its vector, its metadata and a
-- keyword index entry. The table and column names are SQLite's (migration 5 there), so both engines
-- share their row readers. name_key is the name as ModelProfileRules.NameKey folds it: its UNIQUE
-- constraint decides which of two replicas racing for one name wins. A collection that belongs to a
-- space keeps existing when the space goes (space_id becomes NULL); links from spaces to collections go
-- with either side. Deleting a collection or a document removes its chunks by ON DELETE CASCADE; their
-- vectors and keyword entries are columns of the chunk rows, so they go in the same transaction. The
-- stores keep the counts, under the collection's row lock.
CREATE TABLE rag_collections (
    id              text COLLATE "C" PRIMARY KEY,
    name            text NOT NULL,
    name_key        text NOT NULL CONSTRAINT rag_collections_name_unique UNIQUE,
    description     text,
    space_id        text COLLATE "C" REFERENCES spaces (id) ON DELETE SET NULL,
    embedding_model text NOT NULL,
    dimensions      integer NOT NULL CHECK (dimensions BETWEEN 1 AND 2000),
    document_count  bigint NOT NULL DEFAULT 0,
    chunk_count     bigint NOT NULL DEFAULT 0,
    created_at      timestamptz NOT NULL,
    updated_at      timestamptz NOT NULL
);

CREATE INDEX rag_collections_by_space ON rag_collections (space_id, id) WHERE space_id IS NOT NULL;

CREATE TABLE rag_documents (
    id              text COLLATE "C" PRIMARY KEY,
    collection_id   text COLLATE "C" NOT NULL REFERENCES rag_collections (id) ON DELETE CASCADE,
    name            text COLLATE "C" NOT NULL,
    content_hash    text NOT NULL,
    metadata        jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(metadata) = 'object'),
    chunk_count     integer NOT NULL DEFAULT 0,
    character_count bigint NOT NULL,
    created_at      timestamptz NOT NULL,
    updated_at      timestamptz NOT NULL,
    CONSTRAINT rag_documents_name_unique UNIQUE (collection_id, name)
);

CREATE INDEX rag_documents_by_collection ON rag_documents (collection_id, id);

-- id is the chunk's key within its collection (a UUIDv7 for chunks of a document write, the caller's
-- key for chunks written by key). metadata is what filters match: the document's, unless the chunk was
-- written with its own. metadata_dates mirrors it with every string that reads as a date
-- (FilterValue.TryParseDate) replaced by its instant in UTC ticks, so date ranges compare instants
-- exactly as the reference evaluator does.
--
-- The vector is a real[] (float4, L2-normalised by the store), not a pgvector column: the table needs
-- no extension, so a server without pgvector still migrates and runs every other store. pgvector is
-- used through the immutable cast embedding::vector(N): one partial HNSW index per dimension count N,
-- made when the first collection of N dimensions is created (see docs/adr/0019-pgvector-dimensions.md).
CREATE TABLE rag_chunks (
    collection_id  text COLLATE "C" NOT NULL REFERENCES rag_collections (id) ON DELETE CASCADE,
    id             text COLLATE "C" NOT NULL,
    document_id    text COLLATE "C" NOT NULL REFERENCES rag_documents (id) ON DELETE CASCADE,
    ordinal        integer NOT NULL,
    text           text NOT NULL,
    citation_start integer NOT NULL,
    citation_end   integer NOT NULL,
    heading_path   text,
    page           integer,
    metadata       jsonb NOT NULL CHECK (jsonb_typeof(metadata) = 'object'),
    metadata_dates jsonb,
    dimensions     integer NOT NULL,
    embedding      real[] NOT NULL CHECK (array_ndims(embedding) = 1 AND cardinality(embedding) = dimensions),
    -- Keyword search, tokenised as message search is (the first 256 KiB: a tsvector is limited to 1 MiB).
    search         tsvector GENERATED ALWAYS AS (to_tsvector('gateway_search'::regconfig, left(text, 262144))) STORED,
    PRIMARY KEY (collection_id, id)
);

CREATE INDEX rag_chunks_by_document ON rag_chunks (document_id, ordinal);
CREATE INDEX rag_chunks_search ON rag_chunks USING gin (search);

CREATE TABLE space_collections (
    space_id      text COLLATE "C" NOT NULL REFERENCES spaces (id) ON DELETE CASCADE,
    collection_id text COLLATE "C" NOT NULL REFERENCES rag_collections (id) ON DELETE CASCADE,
    PRIMARY KEY (space_id, collection_id)
);

CREATE INDEX space_collections_by_collection ON space_collections (collection_id);
