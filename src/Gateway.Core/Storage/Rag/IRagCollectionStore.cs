using Gateway.Core.Errors;
using Gateway.Core.Storage.Conversations;

namespace Gateway.Core.Storage.Rag;

/// <summary>
/// Collections, their documents and their links to spaces. Every backend passes the same conformance
/// suite. Writes check their input with <see cref="RagRules"/>; a name another collection has is
/// <see cref="GatewayErrorCodes.CollectionNameTaken"/>; a space id that does not exist is
/// <see cref="GatewayErrorCodes.SpaceNotFound"/>; a collection id that does not exist is
/// <see cref="GatewayErrorCodes.CollectionNotFound"/> where the method cannot answer <see langword="null"/> or <see langword="false"/>.
/// </summary>
public interface IRagCollectionStore
{
    /// <summary>Creates a collection with a new sortable id and no documents.</summary>
    Task<RagCollection> CreateCollectionAsync(RagCollectionDefinition definition, CancellationToken cancellationToken = default);

    /// <summary>The collection with its current counts, or <see langword="null"/> when there is none with this id.</summary>
    Task<RagCollection?> GetCollectionAsync(string collectionId, CancellationToken cancellationToken = default);

    /// <summary>
    /// The collection with this name, compared as names are unique (<see cref="Profiles.ModelProfileRules.NameKey"/>: ignoring case),
    /// with its current counts; <see langword="null"/> when there is none. One indexed lookup, however many collections exist.
    /// </summary>
    Task<RagCollection?> FindCollectionByNameAsync(string name, CancellationToken cancellationToken = default);

    /// <summary>A page of collections, oldest (by id) first, keyset-paginated.</summary>
    Task<Page<RagCollection>> ListCollectionsAsync(RagCollectionQuery query, CancellationToken cancellationToken = default);

    /// <summary>
    /// Replaces every field of the collection; <see langword="null"/> when it does not exist. Changing
    /// <see cref="RagCollectionDefinition.EmbeddingModel"/> (ignoring case) or <see cref="RagCollectionDefinition.Dimensions"/>
    /// of a collection that holds documents changes nothing and throws <see cref="GatewayErrorCodes.EmbeddingModelLocked"/>:
    /// such a collection changes model by a re-embedding (<see cref="BeginReembeddingAsync"/>).
    /// </summary>
    Task<RagCollection?> UpdateCollectionAsync(string collectionId, RagCollectionDefinition definition, CancellationToken cancellationToken = default);

    /// <summary>
    /// Begins re-embedding the collection with another model, owned by <see cref="RagReembeddingDefinition.JobId"/>:
    /// nothing changes for searches until <see cref="SwapReembeddingAsync"/>. Beginning again with the same job
    /// returns the re-embedding as it is (a job taken over resumes); a re-embedding of
    /// <see cref="RagReembeddingDefinition.ReplacesJobId"/> is dropped with its pending vectors and replaced; one of any
    /// other job is <see cref="GatewayErrorCodes.ReembeddingInProgress"/>.
    /// </summary>
    /// <exception cref="GatewayException"><see cref="GatewayErrorCodes.CollectionNotFound"/>, <see cref="GatewayErrorCodes.ReembeddingInProgress"/>, <see cref="GatewayErrorCodes.InvalidRequest"/> (<see cref="RagRules.Validate(RagReembeddingDefinition, RagCollection)"/>).</exception>
    Task<RagReembedding> BeginReembeddingAsync(string collectionId, RagReembeddingDefinition definition, CancellationToken cancellationToken = default);

    /// <summary>The collection's re-embedding with its counts, or <see langword="null"/> when none is under way (or the collection does not exist).</summary>
    Task<RagReembedding?> GetReembeddingAsync(string collectionId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Up to <paramref name="limit"/> chunks of the collection that have no pending vector of <paramref name="jobId"/>'s
    /// re-embedding, ordered by chunk id after <paramref name="afterChunkId"/> (from the first when <see langword="null"/>), without vectors.
    /// </summary>
    /// <exception cref="GatewayException"><see cref="GatewayErrorCodes.CollectionNotFound"/>; <see cref="GatewayErrorCodes.ReembeddingNotFound"/> when the job owns no re-embedding of it.</exception>
    Task<IReadOnlyList<RagChunk>> ListChunksToReembedAsync(
        string collectionId, string jobId, string? afterChunkId, int limit, CancellationToken cancellationToken = default);

    /// <summary>
    /// Stores pending vectors of <paramref name="jobId"/>'s re-embedding, all or none, replacing any a chunk had; a vector
    /// whose chunk is gone or no longer has <see cref="PendingChunkVector.Text"/> is skipped. Returns how many were stored.
    /// A chunk whose text is rewritten later loses its pending vector (it is embedded again).
    /// </summary>
    /// <exception cref="GatewayException">
    /// <see cref="GatewayErrorCodes.CollectionNotFound"/>, <see cref="GatewayErrorCodes.ReembeddingNotFound"/>, and
    /// <see cref="GatewayErrorCodes.EmbeddingModelMismatch"/> for a vector without the re-embedding's dimensions.
    /// </exception>
    Task<int> WritePendingVectorsAsync(
        string collectionId, string jobId, IReadOnlyList<PendingChunkVector> vectors, CancellationToken cancellationToken = default);

    /// <summary>
    /// Ends <paramref name="jobId"/>'s re-embedding in one transaction when every chunk has its pending vector: each
    /// chunk's vector becomes its pending one, the collection takes the new model and dimensions, and the pending state
    /// is cleared; searches see the old vectors before it and the new ones after, never a mix. While any chunk lacks
    /// one (written meanwhile) nothing changes and <see cref="RagReembeddingSwap.ChunksMissing"/> says how many.
    /// </summary>
    /// <exception cref="GatewayException"><see cref="GatewayErrorCodes.CollectionNotFound"/>, <see cref="GatewayErrorCodes.ReembeddingNotFound"/>.</exception>
    Task<RagReembeddingSwap> SwapReembeddingAsync(string collectionId, string jobId, CancellationToken cancellationToken = default);

    /// <summary>Drops <paramref name="jobId"/>'s re-embedding and its pending vectors, leaving the collection as it was; <see langword="false"/> when there was none.</summary>
    Task<bool> CancelReembeddingAsync(string collectionId, string jobId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Deletes the collection with its documents (and their texts), chunks, vectors, keyword index entries and space links,
    /// in one transaction; <see langword="false"/> when it did not exist.
    /// </summary>
    Task<bool> DeleteCollectionAsync(string collectionId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Writes a document: a new name is <see cref="RagDocumentWriteOutcome.Created"/>; an existing name with
    /// the same <see cref="RagDocumentWrite.ContentHash"/> is <see cref="RagDocumentWriteOutcome.Unchanged"/>
    /// (nothing is written, not even metadata); otherwise its chunks, vectors, text and metadata are replaced in one
    /// transaction (<see cref="RagDocumentWriteOutcome.Replaced"/>, same document id). A vector whose length is
    /// not the collection's dimensions is <see cref="GatewayErrorCodes.EmbeddingModelMismatch"/> and writes nothing.
    /// </summary>
    Task<RagDocumentWriteResult> WriteDocumentAsync(string collectionId, RagDocumentWrite document, CancellationToken cancellationToken = default);

    /// <summary>The document, or <see langword="null"/> when the collection has none with this id.</summary>
    Task<RagDocument?> GetDocumentAsync(string collectionId, string documentId, CancellationToken cancellationToken = default);

    /// <summary>The document with this id in whichever collection holds it, or <see langword="null"/> when none does.</summary>
    Task<RagDocument?> FindDocumentAsync(string documentId, CancellationToken cancellationToken = default);

    /// <summary>
    /// The document with this id (in whichever collection holds it) and the characters <c>[start, end)</c> of the text it was
    /// written with (<see cref="RagDocumentWrite.Text"/>), counted in UTF-16 as <see cref="ChunkCitation"/> counts them, read
    /// in one snapshot and without loading the rest of the text where the engine allows; <see langword="null"/> when no
    /// document has the id. Without <paramref name="end"/> the range runs to the text's end, at most
    /// <see cref="RagRules.MaxTextRangeLength"/> characters (<see cref="RagRules.TextRange"/>). A range outside the text is
    /// <see cref="GatewayErrorCodes.InvalidRequest"/> naming <c>start</c> or <c>end</c>; a document written without its text is
    /// <see cref="GatewayErrorCodes.DocumentTextUnavailable"/>. The text is replaced with the chunks and deleted with the document.
    /// </summary>
    Task<RagDocumentText?> ReadDocumentTextAsync(string documentId, int start = 0, int? end = null, CancellationToken cancellationToken = default);

    /// <summary>The document of this name, or <see langword="null"/> when the collection has none.</summary>
    Task<RagDocument?> FindDocumentByNameAsync(string collectionId, string name, CancellationToken cancellationToken = default);

    /// <summary>A page of the collection's documents, oldest (by id) first; <see cref="GatewayErrorCodes.CollectionNotFound"/> when it does not exist.</summary>
    Task<Page<RagDocument>> ListDocumentsAsync(string collectionId, RagDocumentQuery query, CancellationToken cancellationToken = default);

    /// <summary>Deletes the document with its chunks, vectors, keyword index entries and text in one transaction; <see langword="false"/> when it did not exist.</summary>
    Task<bool> DeleteDocumentAsync(string collectionId, string documentId, CancellationToken cancellationToken = default);

    /// <summary>The document's chunks in order, without vectors; <see cref="GatewayErrorCodes.DocumentNotFound"/> when it does not exist.</summary>
    Task<IReadOnlyList<RagChunk>> ListDocumentChunksAsync(string collectionId, string documentId, CancellationToken cancellationToken = default);

    /// <summary>Links a collection to a space; <see langword="false"/> when it was linked already. Either id unknown is its not-found error.</summary>
    Task<bool> LinkCollectionAsync(string spaceId, string collectionId, CancellationToken cancellationToken = default);

    /// <summary>Unlinks a collection from a space; <see langword="false"/> when it was not linked.</summary>
    Task<bool> UnlinkCollectionAsync(string spaceId, string collectionId, CancellationToken cancellationToken = default);

    /// <summary>
    /// The collections a chat in the space retrieves from: those linked to it and those that belong to it
    /// (<see cref="RagCollection.SpaceId"/>), oldest (by id) first, each once.
    /// </summary>
    Task<IReadOnlyList<RagCollection>> ListSpaceCollectionsAsync(string spaceId, CancellationToken cancellationToken = default);
}
