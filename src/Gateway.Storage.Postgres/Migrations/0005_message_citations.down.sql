-- drops-user-data
-- The citations of assistant messages go; the messages stay.
ALTER TABLE messages DROP COLUMN citations;
