using Gateway.Rag.Documents;

namespace Gateway.Rag.Ingestion;

/// <summary>
/// What one ingestion adds to a collection and removes from it. Every document is added as
/// <see cref="RagService.AddDocumentAsync"/> adds one: unchanged content is skipped, changed content replaces
/// its chunks. At least one item or removal.
/// </summary>
public sealed record IngestionRequest
{
    /// <summary>Uploaded files, staged with the job.</summary>
    public IReadOnlyList<IngestionUpload> Uploads { get; init; } = [];

    /// <summary>Files and folders of the file sandbox.</summary>
    public IReadOnlyList<IngestionSandboxItem> SandboxItems { get; init; } = [];

    /// <summary>Documents given as text (read as Markdown), staged with the job.</summary>
    public IReadOnlyList<NewRagDocument> Texts { get; init; } = [];

    /// <summary>Names of documents to delete from the collection (a name the collection does not hold is passed over).</summary>
    public IReadOnlyList<string> Removals { get; init; } = [];
}
