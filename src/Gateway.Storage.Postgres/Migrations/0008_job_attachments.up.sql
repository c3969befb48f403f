-- Files staged with a job when it is queued (uploads to ingest), in the database so that whichever replica
-- claims the job reads them, after a restart too (ADR 0023). Deleted by the transition that finishes the
-- job, and with the job.
CREATE TABLE job_attachments (
    job_id  text COLLATE "C" NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
    name    text COLLATE "C" NOT NULL,
    content bytea NOT NULL,
    PRIMARY KEY (job_id, name)
);
