-- drops-user-data
-- The extensions stay: they are database-wide and other schemas or apps may use them.
DROP TABLE messages;
DROP TABLE conversations;
DROP TEXT SEARCH CONFIGURATION gateway_search;
