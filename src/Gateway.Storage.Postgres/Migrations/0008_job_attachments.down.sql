-- drops-user-data
-- Uploads staged for unfinished jobs go; those jobs then find their files missing.
DROP TABLE job_attachments;
