-- Conversations and their messages, full-text search, and pgvector when the server has it. The whole
-- script is one transaction (PostgreSQL DDL is transactional): it applies completely or not at all.

-- unaccent is a trusted extension: the database owner may create it without being a superuser.
CREATE EXTENSION IF NOT EXISTS unaccent;

-- pgvector, for the vector features (RAG). It is optional: a server without it still runs every store
-- here, and a vector feature used there fails with a message that says how to install it. Creating it
-- needs a superuser (or an administrator who created it already, e.g. in template1).
DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_available_extensions WHERE name = 'vector') THEN
        BEGIN
            CREATE EXTENSION IF NOT EXISTS vector;
        EXCEPTION WHEN insufficient_privilege THEN
            RAISE NOTICE 'pgvector is installed on the server, but this role may not create the extension; run CREATE EXTENSION vector as a superuser to enable vector features.';
        END;
    END IF;
END
$$;

-- Search matches words without regard to case or accents ("CAFE" finds "Café") and without stemming,
-- as SQLite's unicode61 tokenizer does: the simple dictionary after unaccent.
CREATE TEXT SEARCH CONFIGURATION gateway_search (COPY = pg_catalog.simple);
ALTER TEXT SEARCH CONFIGURATION gateway_search
    ALTER MAPPING FOR asciiword, asciihword, hword_asciipart, word, hword, hword_part, numword, numhword, hword_numpart
    WITH unaccent, simple;

-- Ids are sortable UUIDv7 text; COLLATE "C" makes ordering them byte order whatever the database's
-- locale, so "newest first" is the same order SQLite gives and an index range scan serves it.
CREATE TABLE conversations (
    id                text COLLATE "C" PRIMARY KEY,
    title             text,
    space_id          text,
    metadata          jsonb NOT NULL DEFAULT '{}',
    created_at        timestamptz NOT NULL,
    updated_at        timestamptz NOT NULL,
    archived          boolean NOT NULL DEFAULT false,
    message_count     integer NOT NULL DEFAULT 0,
    active_message_id text COLLATE "C",
    -- Set for conversations imported from another product's export, whose ids are not ours.
    content_hash      text
);

CREATE INDEX conversations_by_archived ON conversations (archived, id);
CREATE INDEX conversations_by_space ON conversations (space_id, archived, id);
CREATE UNIQUE INDEX conversations_by_content_hash ON conversations (content_hash) WHERE content_hash IS NOT NULL;

-- seq is the order messages were written in. Appends to one conversation hold its row lock, so within a
-- conversation seq order is commit order, and a parent always has a smaller seq than its children.
-- The search vector is generated from the content (the first 256 KiB: a tsvector is limited to 1 MiB),
-- so every write keeps the index current without triggers.
CREATE TABLE messages (
    seq             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    id              text COLLATE "C" NOT NULL UNIQUE,
    conversation_id text COLLATE "C" NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
    parent_id       text COLLATE "C",
    role            text NOT NULL,
    content         text NOT NULL,
    model_key       text,
    input_tokens    bigint,
    output_tokens   bigint,
    status          text NOT NULL DEFAULT 'complete' CHECK (status IN ('complete', 'incomplete', 'error')),
    created_at      timestamptz NOT NULL,
    search          tsvector GENERATED ALWAYS AS (to_tsvector('gateway_search'::regconfig, left(content, 262144))) STORED
);

CREATE INDEX messages_by_conversation ON messages (conversation_id, seq);
CREATE INDEX messages_by_parent ON messages (parent_id) WHERE parent_id IS NOT NULL;
CREATE INDEX messages_search ON messages USING gin (search);
