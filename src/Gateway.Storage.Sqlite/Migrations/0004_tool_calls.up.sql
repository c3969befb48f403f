-- Tool calling: an assistant message's tool calls (a JSON array of {"id", "name", "arguments"}, the
-- arguments as a string) and, on a tool message, the id of the call it answers and the function that ran.
-- NULL on every message written before, and on every message without them. The search index keeps
-- indexing content only: a tool result's text is searchable, the calls' arguments are not.
ALTER TABLE messages ADD COLUMN tool_calls TEXT CHECK (tool_calls IS NULL OR (json_valid(tool_calls) AND json_type(tool_calls) = 'array'));
ALTER TABLE messages ADD COLUMN tool_call_id TEXT;
ALTER TABLE messages ADD COLUMN tool_name TEXT;
