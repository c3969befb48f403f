namespace Gateway.Core.Storage.Rag;

/// <summary>
/// A folder of a file-sandbox root registered with a collection: a sync ingests the files below it that
/// are new or changed since the last sync and removes the documents of those that are gone.
/// </summary>
/// <param name="Id">The sortable id (UUIDv7 text).</param>
/// <param name="CollectionId">The collection its files are ingested into; deleting the collection deletes the source.</param>
/// <param name="Root">The name of the sandbox root.</param>
/// <param name="Path">The folder inside the root (empty: the root itself).</param>
/// <param name="Include">The globs a file's path below the folder must match one of (none: every file).</param>
/// <param name="Exclude">The globs a file's path below the folder must match none of.</param>
/// <param name="CreatedAt">When it was registered.</param>
/// <param name="LastSyncedAt">When its last sync finished as a whole (or found nothing to do); <see langword="null"/> before the first.</param>
/// <param name="LastIngestionId">The ingestion of the last sync that finished, whatever its outcome.</param>
/// <param name="SyncIngestionId">The ingestion of the sync that has started and not been recorded as finished yet, if any.</param>
public sealed record RagSource(
    string Id,
    string CollectionId,
    string Root,
    string Path,
    IReadOnlyList<string> Include,
    IReadOnlyList<string> Exclude,
    DateTimeOffset CreatedAt,
    DateTimeOffset? LastSyncedAt,
    string? LastIngestionId,
    string? SyncIngestionId);
