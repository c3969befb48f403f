-- Model profiles, spaces, and which profiles each space offers. name_key is the name as
-- ModelProfileRules.NameKey folds it, written by the stores: its UNIQUE constraint decides which of
-- two writers racing for one name wins, whatever replica they run in. Deleting a profile unlinks it
-- and clears it as a default, and deleting a space removes its links, by the foreign keys.
CREATE TABLE model_profiles (
    id             text COLLATE "C" PRIMARY KEY,
    name           text NOT NULL,
    name_key       text NOT NULL CONSTRAINT model_profiles_name_unique UNIQUE,
    model_key      text NOT NULL,
    system_prompt  text,
    temperature    real,
    top_p          real,
    max_tokens     integer,
    stop           text[] NOT NULL DEFAULT '{}',
    context_window integer,
    metadata       jsonb NOT NULL DEFAULT '{}',
    created_at     timestamptz NOT NULL,
    updated_at     timestamptz NOT NULL
);

CREATE TABLE spaces (
    id                 text COLLATE "C" PRIMARY KEY,
    name               text NOT NULL,
    name_key           text NOT NULL CONSTRAINT spaces_name_unique UNIQUE,
    description        text,
    default_profile_id text COLLATE "C" REFERENCES model_profiles (id) ON DELETE SET NULL,
    metadata           jsonb NOT NULL DEFAULT '{}',
    created_at         timestamptz NOT NULL,
    updated_at         timestamptz NOT NULL
);

CREATE INDEX spaces_by_default_profile ON spaces (default_profile_id) WHERE default_profile_id IS NOT NULL;

CREATE TABLE space_profiles (
    space_id   text COLLATE "C" NOT NULL REFERENCES spaces (id) ON DELETE CASCADE,
    profile_id text COLLATE "C" NOT NULL REFERENCES model_profiles (id) ON DELETE CASCADE,
    PRIMARY KEY (space_id, profile_id)
);

CREATE INDEX space_profiles_by_profile ON space_profiles (profile_id);
