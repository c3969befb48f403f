-- The extracted text of each document, so a citation's range can be shown in context
-- (GET /api/rag/documents/{id}/text). Kept as UTF-16 little-endian bytes: citations count UTF-16
-- characters, and SQLite's substr on TEXT counts code points, so character i is bytes 2i and 2i+1
-- and a range is read with incremental blob I/O without loading the rest of the text. Written in the
-- transaction that writes the document's chunks, replaced with them, deleted with the document
-- (ON DELETE CASCADE, and so with its collection). A document written before this migration has no
-- row: its text reads as document_text_unavailable until it is written again.
CREATE TABLE rag_document_texts (
    document_id TEXT PRIMARY KEY NOT NULL REFERENCES rag_documents (id) ON DELETE CASCADE,
    text_utf16  BLOB NOT NULL
);
