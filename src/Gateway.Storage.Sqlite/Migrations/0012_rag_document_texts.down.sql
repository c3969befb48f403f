-- drops-user-data
-- The stored texts of documents go; the documents and their chunks stay.
DROP TABLE rag_document_texts;
