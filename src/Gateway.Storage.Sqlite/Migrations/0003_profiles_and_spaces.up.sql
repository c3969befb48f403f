-- Model profiles, spaces, and which profiles each space offers. name_key is the name as
-- ModelProfileRules.NameKey folds it, written by the stores: its UNIQUE index decides which of two
-- writers racing for one name wins, whatever process they run in. Foreign keys are enforced on every
-- connection the stores open (SqliteDatabase), so deleting a profile unlinks it and clears it as a
-- default, and deleting a space removes its links, here rather than in code.
CREATE TABLE model_profiles (
    id             TEXT PRIMARY KEY NOT NULL,
    name           TEXT NOT NULL,
    name_key       TEXT NOT NULL,
    model_key      TEXT NOT NULL,
    system_prompt  TEXT,
    temperature    REAL,
    top_p          REAL,
    max_tokens     INTEGER,
    -- A JSON array of strings.
    stop           TEXT NOT NULL DEFAULT '[]',
    context_window INTEGER,
    metadata       TEXT NOT NULL DEFAULT '{}',
    created_at     TEXT NOT NULL,
    updated_at     TEXT NOT NULL
);

CREATE UNIQUE INDEX model_profiles_by_name_key ON model_profiles (name_key);

CREATE TABLE spaces (
    id                 TEXT PRIMARY KEY NOT NULL,
    name               TEXT NOT NULL,
    name_key           TEXT NOT NULL,
    description        TEXT,
    default_profile_id TEXT REFERENCES model_profiles (id) ON DELETE SET NULL,
    metadata           TEXT NOT NULL DEFAULT '{}',
    created_at         TEXT NOT NULL,
    updated_at         TEXT NOT NULL
);

CREATE UNIQUE INDEX spaces_by_name_key ON spaces (name_key);
CREATE INDEX spaces_by_default_profile ON spaces (default_profile_id) WHERE default_profile_id IS NOT NULL;

CREATE TABLE space_profiles (
    space_id   TEXT NOT NULL REFERENCES spaces (id) ON DELETE CASCADE,
    profile_id TEXT NOT NULL REFERENCES model_profiles (id) ON DELETE CASCADE,
    PRIMARY KEY (space_id, profile_id)
) WITHOUT ROWID;

CREATE INDEX space_profiles_by_profile ON space_profiles (profile_id);
