-- Conversations and their messages, one row per message. Ids are sortable (UUIDv7 text), so ordering
-- by id is ordering by creation; parent_id makes regenerations and edits a tree, and
-- active_message_id is the leaf of the branch shown by default.
CREATE TABLE conversations (
    id                TEXT PRIMARY KEY NOT NULL,
    title             TEXT,
    space_id          TEXT,
    metadata          TEXT NOT NULL DEFAULT '{}',
    created_at        TEXT NOT NULL,
    updated_at        TEXT NOT NULL,
    archived          INTEGER NOT NULL DEFAULT 0,
    message_count     INTEGER NOT NULL DEFAULT 0,
    active_message_id TEXT,
    -- Set for conversations imported from another product's export, whose ids are not ours: the
    -- hash of their content, so importing the same file twice adds them once.
    content_hash      TEXT
);

CREATE INDEX conversations_by_archived ON conversations (archived, id);
CREATE INDEX conversations_by_space ON conversations (space_id, archived, id);
CREATE UNIQUE INDEX conversations_by_content_hash ON conversations (content_hash) WHERE content_hash IS NOT NULL;

-- seq is the rowid: stable across VACUUM (unlike an implicit rowid), so it can key the search index,
-- and it is the order messages were written in.
CREATE TABLE messages (
    seq             INTEGER PRIMARY KEY,
    id              TEXT NOT NULL UNIQUE,
    conversation_id TEXT NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
    parent_id       TEXT,
    role            TEXT NOT NULL,
    content         TEXT NOT NULL,
    model_key       TEXT,
    input_tokens    INTEGER,
    output_tokens   INTEGER,
    status          TEXT NOT NULL DEFAULT 'complete' CHECK (status IN ('complete', 'incomplete', 'error')),
    created_at      TEXT NOT NULL
);

CREATE INDEX messages_by_conversation ON messages (conversation_id, seq);
CREATE INDEX messages_by_parent ON messages (parent_id) WHERE parent_id IS NOT NULL;
