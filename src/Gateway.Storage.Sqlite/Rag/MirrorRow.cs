namespace Gateway.Storage.Sqlite.Rag;

/// <summary>One chunk as a <see cref="CollectionVectorMirror"/> holds it: its key, document, metadata text and normalised vector.</summary>
internal sealed record MirrorRow(string ChunkId, string DocumentId, string Metadata, float[] Vector);
