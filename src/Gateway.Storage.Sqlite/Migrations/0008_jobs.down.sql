-- drops-user-data
-- The job queue and its events go; what the jobs wrote (documents, flow runs, models) stays.
DROP TABLE job_events;
DROP TABLE jobs;
