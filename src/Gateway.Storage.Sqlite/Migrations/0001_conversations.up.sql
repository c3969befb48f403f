-- Conversations and their messages, one row per message. Ids are sortable (UUIDv7 text), so ordering
-- by id is ordering by creation; parent_id makes regenerations and edits a tree.
CREATE TABLE conversations (
    id            TEXT PRIMARY KEY NOT NULL,
    title         TEXT,
    space_id      TEXT,
    metadata      TEXT NOT NULL DEFAULT '{}',
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL,
    archived      INTEGER NOT NULL DEFAULT 0,
    message_count INTEGER NOT NULL DEFAULT 0
);

CREATE INDEX conversations_by_space ON conversations (space_id, id);

CREATE TABLE messages (
    id              TEXT PRIMARY KEY NOT NULL,
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

CREATE INDEX messages_by_conversation ON messages (conversation_id, id);
