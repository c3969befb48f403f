-- drops-user-data
-- The tool calls of assistant messages and the call ids of tool messages go; the messages stay.
ALTER TABLE messages
    DROP COLUMN tool_name,
    DROP COLUMN tool_call_id,
    DROP COLUMN tool_calls;
