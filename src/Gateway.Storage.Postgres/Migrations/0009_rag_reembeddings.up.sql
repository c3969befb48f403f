-- Re-embedding a collection with another model: the model and dimensions it is moving to, and the job
-- that owns the move (one per collection). The new vectors are written beside the old ones, one per
-- chunk, while searches keep reading rag_chunks.embedding through the HNSW index of the old dimensions;
-- the swap copies them over, with the new dimensions, in one transaction (the rows then fall under the
-- partial index of those). Cancelling deletes the row, and its pending vectors go with it; so does
-- deleting the chunk or the collection. The table and column names are SQLite's (migration 10 there).
CREATE TABLE rag_reembeddings (
    collection_id   text COLLATE "C" PRIMARY KEY REFERENCES rag_collections (id) ON DELETE CASCADE,
    embedding_model text NOT NULL,
    dimensions      integer NOT NULL CHECK (dimensions BETWEEN 1 AND 2000),
    job_id          text COLLATE "C" NOT NULL,
    started_at      timestamptz NOT NULL
);

-- vector is a real[] (float4, L2-normalised by the store) of the re-embedding's dimensions.
CREATE TABLE rag_pending_vectors (
    collection_id text COLLATE "C" NOT NULL REFERENCES rag_reembeddings (collection_id) ON DELETE CASCADE,
    chunk_id      text COLLATE "C" NOT NULL,
    vector        real[] NOT NULL CHECK (array_ndims(vector) = 1),
    PRIMARY KEY (collection_id, chunk_id),
    FOREIGN KEY (collection_id, chunk_id) REFERENCES rag_chunks (collection_id, id) ON DELETE CASCADE
);
