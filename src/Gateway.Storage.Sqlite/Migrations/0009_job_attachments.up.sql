-- Files staged with a job when it is queued (uploads to ingest), in the database so that a restarted host
-- or another process on the file reads them (ADR 0023). Deleted by the transition that finishes the job,
-- and with the job.
CREATE TABLE job_attachments (
    job_id  TEXT NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
    name    TEXT NOT NULL,
    content BLOB NOT NULL,
    PRIMARY KEY (job_id, name)
);
