-- Full-text search over messages: an FTS5 external-content index on messages(seq) kept current by
-- triggers, with 2- and 3-character prefix indexes so short prefix queries do not scan every term.
CREATE VIRTUAL TABLE messages_fts USING fts5 (
    content,
    content = 'messages',
    content_rowid = 'seq',
    prefix = '2 3'
);

-- A bulk import writes messages with indexing deferred (deferred = 1 inside its transaction, back to 0
-- before it commits) and records the written seq range in search_backlog; the indexer then adds the
-- range to the index in batches. Rows inside a backlog range are not in the index yet, so deleting or
-- editing them must not touch it (an external-content 'delete' of an unindexed row corrupts FTS5).
CREATE TABLE search_index_state (
    id       INTEGER PRIMARY KEY CHECK (id = 1),
    deferred INTEGER NOT NULL DEFAULT 0
);
INSERT INTO search_index_state (id, deferred) VALUES (1, 0);

CREATE TABLE search_backlog (
    first_seq INTEGER NOT NULL,
    last_seq  INTEGER NOT NULL,
    CHECK (first_seq <= last_seq)
);

CREATE TRIGGER messages_fts_insert AFTER INSERT ON messages
WHEN (SELECT deferred FROM search_index_state WHERE id = 1) = 0
BEGIN
    INSERT INTO messages_fts (rowid, content) VALUES (new.seq, new.content);
END;

CREATE TRIGGER messages_fts_delete AFTER DELETE ON messages
WHEN NOT EXISTS (SELECT 1 FROM search_backlog WHERE old.seq BETWEEN first_seq AND last_seq)
BEGIN
    INSERT INTO messages_fts (messages_fts, rowid, content) VALUES ('delete', old.seq, old.content);
END;

CREATE TRIGGER messages_fts_update AFTER UPDATE OF content ON messages
WHEN NOT EXISTS (SELECT 1 FROM search_backlog WHERE old.seq BETWEEN first_seq AND last_seq)
BEGIN
    INSERT INTO messages_fts (messages_fts, rowid, content) VALUES ('delete', old.seq, old.content);
    INSERT INTO messages_fts (rowid, content) VALUES (new.seq, new.content);
END;

-- Index what was written before this step.
INSERT INTO messages_fts (messages_fts) VALUES ('rebuild');
