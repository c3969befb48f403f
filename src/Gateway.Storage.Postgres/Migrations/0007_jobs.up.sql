-- The durable job queue that ingestion, flow runs and training share (ADR 0020), and each job's event
-- log. JSON values (payload, progress, checkpoint, result, event data) are text, not jsonb: the store
-- never looks into them, and text keeps any JSON verbatim (jsonb refuses \u0000). lease_token is the
-- fencing token, incremented by every claim; event_seq is the sequence number of the job's latest
-- event, moved on in the same UPDATE that changes (and locks) the job, so events are numbered 1, 2, 3…
-- per job in commit order.
CREATE TABLE jobs (
    id               text COLLATE "C" PRIMARY KEY,
    kind             text COLLATE "C" NOT NULL,
    state            text NOT NULL CHECK (state IN ('queued', 'running', 'paused', 'completed', 'failed', 'cancelled')),
    payload          text NOT NULL,
    progress         text,
    checkpoint       text,
    result           text,
    error_code       text,
    error_detail     text,
    attempts         integer NOT NULL,
    max_attempts     integer NOT NULL,
    cancel_requested boolean NOT NULL,
    pause_requested  boolean NOT NULL,
    lease_owner      text,
    lease_token      bigint NOT NULL,
    lease_expires_at timestamptz,
    event_seq        bigint NOT NULL,
    created_at       timestamptz NOT NULL,
    started_at       timestamptz,
    updated_at       timestamptz NOT NULL,
    finished_at      timestamptz
);

-- A claim walks the unfinished jobs oldest first (FOR UPDATE SKIP LOCKED); finished ones are not in this index.
CREATE INDEX jobs_claimable ON jobs (id) WHERE state IN ('queued', 'running');
CREATE INDEX jobs_by_kind ON jobs (kind, id);
CREATE INDEX jobs_by_state ON jobs (state, id);

CREATE TABLE job_events (
    job_id text COLLATE "C" NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
    seq    bigint NOT NULL,
    type   text NOT NULL,
    data   text NOT NULL,
    at     timestamptz NOT NULL,
    PRIMARY KEY (job_id, seq)
);
