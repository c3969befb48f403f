using Gateway.Core.Errors;
using Gateway.Core.Storage.Conversations;

namespace Gateway.Core.Storage.Rag;

/// <summary>
/// The folders registered as collections' sources and what each one's syncs saw. A source goes with its
/// collection. A sync is recorded in three steps, each one transaction: <see cref="TryClaimSyncAsync"/>
/// takes the source for one sync (refused while another holds it or an ingestion of it is unrecorded, so
/// replicas sharing the database never sync a source twice at once); <see cref="StartSyncAsync"/> keeps
/// the changes it sent to ingestion; <see cref="FinishSyncAsync"/> records them as the source's files once
/// the ingestion has finished, all but those of documents that failed. Every backend passes the same
/// conformance suite; a collection id that does not exist is <see cref="GatewayErrorCodes.CollectionNotFound"/>
/// where the method cannot answer <see langword="null"/> or <see langword="false"/>.
/// </summary>
public interface IRagSourceStore
{
    /// <summary>Registers a source of the collection, with a new sortable id and no files.</summary>
    Task<RagSource> CreateSourceAsync(string collectionId, RagSourceDefinition definition, CancellationToken cancellationToken = default);

    /// <summary>The source, or <see langword="null"/> when the collection has none with this id.</summary>
    Task<RagSource?> GetSourceAsync(string collectionId, string sourceId, CancellationToken cancellationToken = default);

    /// <summary>A page of sources, oldest (by id) first; of one collection (<see cref="GatewayErrorCodes.CollectionNotFound"/> when it does not exist) or of all.</summary>
    Task<Page<RagSource>> ListSourcesAsync(RagSourceQuery query, CancellationToken cancellationToken = default);

    /// <summary>Deletes the source with its recorded files; the documents it ingested stay. <see langword="false"/> when it did not exist.</summary>
    Task<bool> DeleteSourceAsync(string collectionId, string sourceId, CancellationToken cancellationToken = default);

    /// <summary>The files the source's recorded syncs saw, by path (ordinal); empty before the first or for an unknown source.</summary>
    Task<IReadOnlyList<RagSourceFile>> ListSourceFilesAsync(string sourceId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Takes the source for one sync under <paramref name="claim"/> until <paramref name="claimedUntil"/>:
    /// <see langword="false"/>, changing nothing, when the source does not exist, has a started sync not yet
    /// finished (<see cref="RagSource.SyncIngestionId"/>), or is claimed by another claim that has not expired.
    /// </summary>
    Task<bool> TryClaimSyncAsync(string sourceId, string claim, DateTimeOffset claimedUntil, CancellationToken cancellationToken = default);

    /// <summary>
    /// Ends the claim with the sync's ingestion <paramref name="ingestionId"/> and the changes it sent, kept until
    /// <see cref="FinishSyncAsync"/>; <see langword="false"/>, changing nothing, when <paramref name="claim"/> no longer holds the source.
    /// </summary>
    Task<bool> StartSyncAsync(string sourceId, string claim, string ingestionId, IReadOnlyList<RagSourceChange> changes, CancellationToken cancellationToken = default);

    /// <summary>
    /// Ends the claim without an ingestion; with <paramref name="syncedAt"/> the sync found nothing to change and
    /// becomes <see cref="RagSource.LastSyncedAt"/>. Nothing happens when <paramref name="claim"/> no longer holds the source.
    /// </summary>
    Task ReleaseSyncClaimAsync(string sourceId, string claim, DateTimeOffset? syncedAt, CancellationToken cancellationToken = default);

    /// <summary>
    /// Records the end of the started sync whose ingestion is <see cref="RagSourceSyncResult.IngestionId"/>: when it
    /// completed, its changes become the source's files (with their documents' content hashes), except those of
    /// <see cref="RagSourceSyncResult.FailedDocuments"/>, and <see cref="RagSource.LastSyncedAt"/> moves on; otherwise
    /// its changes are dropped. Either way the source is free for the next sync. <see langword="null"/>, changing
    /// nothing, when the source does not await that ingestion (another call recorded it first).
    /// </summary>
    Task<RagSource?> FinishSyncAsync(string sourceId, RagSourceSyncResult result, CancellationToken cancellationToken = default);
}
