namespace Gateway.Core.Storage.Rag;

/// <summary>What a started sync sends to ingestion for one file: its new state, or that it is gone.</summary>
/// <param name="File">The file as the sync found it (for a removal: as the last sync recorded it).</param>
/// <param name="Removed">Whether the file is gone and its document is being removed.</param>
public sealed record RagSourceChange(RagSourceFile File, bool Removed);
