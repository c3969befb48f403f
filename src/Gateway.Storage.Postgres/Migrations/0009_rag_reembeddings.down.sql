-- drops-user-data
-- Re-embeddings under way go with their pending vectors; every collection keeps the vectors and model it has.
DROP TABLE rag_pending_vectors;
DROP TABLE rag_reembeddings;
