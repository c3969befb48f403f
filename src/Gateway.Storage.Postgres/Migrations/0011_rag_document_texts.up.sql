-- The extracted text of each document, so a citation's range can be shown in context
-- (GET /api/rag/documents/{id}/text). Kept as UTF-16 little-endian bytes: citations count UTF-16
-- characters, and substring on text counts code points, so character i is bytes 2i and 2i+1. Storage
-- EXTERNAL keeps the bytes out of line and uncompressed, so substr reads only the TOAST chunks of the
-- range asked for, not the whole text. Written in the transaction that writes the document's chunks,
-- replaced with them, deleted with the document (ON DELETE CASCADE, and so with its collection). A
-- document written before this migration has no row: its text reads as document_text_unavailable
-- until it is written again.
CREATE TABLE rag_document_texts (
    document_id text COLLATE "C" PRIMARY KEY REFERENCES rag_documents (id) ON DELETE CASCADE,
    text_utf16  bytea NOT NULL
);

ALTER TABLE rag_document_texts ALTER COLUMN text_utf16 SET STORAGE EXTERNAL;
