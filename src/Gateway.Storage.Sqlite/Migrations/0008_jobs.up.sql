-- The durable job queue that ingestion, flow runs and training share (ADR 0020), and each job's event
-- log. JSON values (payload, progress, checkpoint, result, event data) are text the store never looks
-- into. lease_token is the fencing token, incremented by every claim; event_seq is the sequence number
-- of the job's latest event, moved on in the same UPDATE that changes the job, so events are numbered
-- 1, 2, 3… per job in commit order.
CREATE TABLE jobs (
    id               TEXT PRIMARY KEY NOT NULL,
    kind             TEXT NOT NULL,
    state            TEXT NOT NULL CHECK (state IN ('queued', 'running', 'paused', 'completed', 'failed', 'cancelled')),
    payload          TEXT NOT NULL,
    progress         TEXT,
    checkpoint       TEXT,
    result           TEXT,
    error_code       TEXT,
    error_detail     TEXT,
    attempts         INTEGER NOT NULL,
    max_attempts     INTEGER NOT NULL,
    cancel_requested INTEGER NOT NULL,
    pause_requested  INTEGER NOT NULL,
    lease_owner      TEXT,
    lease_token      INTEGER NOT NULL,
    lease_expires_at TEXT,
    event_seq        INTEGER NOT NULL,
    created_at       TEXT NOT NULL,
    started_at       TEXT,
    updated_at       TEXT NOT NULL,
    finished_at      TEXT
);

-- A claim walks the unfinished jobs oldest first; finished ones, however many, are not in this index.
CREATE INDEX jobs_claimable ON jobs (id) WHERE state IN ('queued', 'running');
CREATE INDEX jobs_by_kind ON jobs (kind, id);
CREATE INDEX jobs_by_state ON jobs (state, id);

CREATE TABLE job_events (
    job_id TEXT NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
    seq    INTEGER NOT NULL,
    type   TEXT NOT NULL,
    data   TEXT NOT NULL,
    at     TEXT NOT NULL,
    PRIMARY KEY (job_id, seq)
) WITHOUT ROWID;
