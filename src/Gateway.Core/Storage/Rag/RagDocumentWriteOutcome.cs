namespace Gateway.Core.Storage.Rag;

/// <summary>What writing a document did.</summary>
public enum RagDocumentWriteOutcome
{
    /// <summary>No document had the name; it was added.</summary>
    Created,

    /// <summary>A document of the name had other content; its chunks and metadata were replaced in one transaction.</summary>
    Replaced,

    /// <summary>A document of the name had the same content hash; nothing was written.</summary>
    Unchanged,
}
