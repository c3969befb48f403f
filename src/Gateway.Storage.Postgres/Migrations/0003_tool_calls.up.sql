-- Tool calling: an assistant message's tool calls (a jsonb array of {"id", "name", "arguments"}, the
-- arguments as a string, so their text comes back exactly as written) and, on a tool message, the id of
-- the call it answers and the function that ran. NULL on every message written before, and on every
-- message without them. Adding nullable columns without a default rewrites no rows. The search vector
-- stays generated from content only: a tool result's text is searchable, the calls' arguments are not.
ALTER TABLE messages
    ADD COLUMN tool_calls   jsonb CONSTRAINT messages_tool_calls_array CHECK (jsonb_typeof(tool_calls) = 'array'),
    ADD COLUMN tool_call_id text,
    ADD COLUMN tool_name    text;
