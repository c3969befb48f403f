-- Only the derived search index and its bookkeeping go; messages stay.
DROP TRIGGER messages_fts_update;
DROP TRIGGER messages_fts_delete;
DROP TRIGGER messages_fts_insert;
DROP TABLE search_backlog;
DROP TABLE search_index_state;
DROP TABLE messages_fts;
