-- Document files: a chunk of a JSON or JSON Lines document cites the JSON path of the record it flattens
-- (e.g. $.items[3]). NULL on every chunk written before, and on chunks of other documents; adding a nullable
-- column without a default rewrites no rows.
ALTER TABLE rag_chunks ADD COLUMN json_path text;
