using System.Runtime.CompilerServices;
using Gateway.Core.Embeddings;
using Gateway.Core.Storage.Conversations;
using Gateway.Core.Storage.Rag;
using Microsoft.Extensions.VectorData;

namespace Gateway.Rag.VectorData;

/// <summary>
/// The gateway's RAG collections as a Microsoft.Extensions.VectorData <see cref="VectorStore"/>, over whichever
/// storage package the app uses: a collection is found by its name and exposed as a
/// <see cref="RagVectorStoreCollection"/> of <see cref="RagChunkRecord"/> (the only record type; keys are strings).
/// Collections it creates are bound to <see cref="EmbeddingModelRegistry.Default"/>, or the model named at construction.
/// </summary>
public sealed class RagVectorStore : VectorStore
{
    private const int PageSize = 100;
    private readonly IRagCollectionStore _collections;
    private readonly string? _embeddingModel;

    /// <summary>Creates the adapter over the app's stores.</summary>
    /// <param name="collections">The collections and documents.</param>
    /// <param name="vectors">The chunks and their vectors.</param>
    /// <param name="embeddings">Embeds search text and names the model new collections use; without it, search takes vectors only and collections cannot be created here.</param>
    /// <param name="embeddingModel">The embedding model of collections created here, or <see langword="null"/> for the default one.</param>
    public RagVectorStore(IRagCollectionStore collections, IVectorStore vectors, EmbeddingService? embeddings = null, string? embeddingModel = null)
    {
        _collections = collections ?? throw new ArgumentNullException(nameof(collections));
        Vectors = vectors ?? throw new ArgumentNullException(nameof(vectors));
        Embeddings = embeddings;
        _embeddingModel = embeddingModel;
    }

    internal IVectorStore Vectors { get; }

    internal EmbeddingService? Embeddings { get; }

    /// <summary>The collection named <paramref name="name"/>; <typeparamref name="TKey"/> must be <see cref="string"/> and <typeparamref name="TRecord"/> <see cref="RagChunkRecord"/>.</summary>
    public override VectorStoreCollection<TKey, TRecord> GetCollection<TKey, TRecord>(string name, VectorStoreCollectionDefinition? definition = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        if (typeof(TKey) != typeof(string) || typeof(TRecord) != typeof(RagChunkRecord))
        {
            throw new NotSupportedException(
                $"The gateway's collections hold {nameof(RagChunkRecord)} records with string keys; ask for GetCollection<string, {nameof(RagChunkRecord)}>.");
        }

        return (VectorStoreCollection<TKey, TRecord>)(object)new RagVectorStoreCollection(this, name);
    }

    /// <summary>Not supported: the gateway's collections have one fixed record shape, <see cref="RagChunkRecord"/>.</summary>
    public override VectorStoreCollection<object, Dictionary<string, object?>> GetDynamicCollection(string name, VectorStoreCollectionDefinition definition) =>
        throw new NotSupportedException($"The gateway's collections have one record shape; use GetCollection<string, {nameof(RagChunkRecord)}>.");

    /// <inheritdoc />
    public override async IAsyncEnumerable<string> ListCollectionNamesAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        string? cursor = null;
        do
        {
            Page<RagCollection> page = await _collections.ListCollectionsAsync(new RagCollectionQuery(PageSize, cursor), cancellationToken).ConfigureAwait(false);
            foreach (var collection in page.Items)
            {
                yield return collection.Name;
            }

            cursor = page.NextCursor;
        }
        while (cursor is not null);
    }

    /// <inheritdoc />
    public override async Task<bool> CollectionExistsAsync(string name, CancellationToken cancellationToken = default) =>
        await FindCollectionAsync(name, cancellationToken).ConfigureAwait(false) is not null;

    /// <inheritdoc />
    public override Task EnsureCollectionDeletedAsync(string name, CancellationToken cancellationToken = default) =>
        DeleteCollectionAsync(name, cancellationToken);

    /// <inheritdoc />
    public override object? GetService(Type serviceType, object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        return serviceKey is not null ? null
            : serviceType == typeof(VectorStoreMetadata) ? new VectorStoreMetadata { VectorStoreSystemName = "gateway" }
            : serviceType.IsInstanceOfType(this) ? this
            : serviceType.IsInstanceOfType(_collections) ? _collections
            : serviceType.IsInstanceOfType(Vectors) ? Vectors
            : null;
    }

    internal Task<RagCollection?> FindCollectionAsync(string name, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        return _collections.FindCollectionByNameAsync(name, cancellationToken);
    }

    internal async Task<RagCollection> RequireCollectionAsync(string name, CancellationToken cancellationToken) =>
        await FindCollectionAsync(name, cancellationToken).ConfigureAwait(false) ?? throw RagRules.CollectionNotFound(name, "name");

    internal async Task EnsureCollectionAsync(string name, CancellationToken cancellationToken)
    {
        if (await FindCollectionAsync(name, cancellationToken).ConfigureAwait(false) is not null)
        {
            return;
        }

        var model = (Embeddings ?? throw new NotSupportedException("Creating a collection needs the gateway's embedding models to bind it to one."))
            .Registry.Resolve(_embeddingModel).Info;
        try
        {
            await _collections.CreateCollectionAsync(new RagCollectionDefinition(name, model.Name, model.Dimensions), cancellationToken).ConfigureAwait(false);
        }
        catch (Core.Errors.GatewayException error) when (error.ErrorCode == Core.Errors.GatewayErrorCodes.CollectionNameTaken)
        {
            // Another caller created it between the lookup and the create: it exists, which is what was asked.
        }
    }

    internal async Task DeleteCollectionAsync(string name, CancellationToken cancellationToken)
    {
        if (await FindCollectionAsync(name, cancellationToken).ConfigureAwait(false) is { } collection)
        {
            await _collections.DeleteCollectionAsync(collection.Id, cancellationToken).ConfigureAwait(false);
        }
    }

    internal async Task<string> ResolveDocumentAsync(string collectionId, RagChunkRecord record, CancellationToken cancellationToken)
    {
        if (!string.IsNullOrEmpty(record.DocumentId))
        {
            return record.DocumentId;
        }

        if (string.IsNullOrEmpty(record.DocumentName))
        {
            throw Core.Errors.GatewayException.InvalidField("documentName", $"record '{record.Key}' names no document: set DocumentId or DocumentName.");
        }

        if (await _collections.FindDocumentByNameAsync(collectionId, record.DocumentName, cancellationToken).ConfigureAwait(false) is { } existing)
        {
            return existing.Id;
        }

        var created = await _collections.WriteDocumentAsync(
            collectionId, new RagDocumentWrite(record.DocumentName, RagRules.ContentHash(""), 0, []), cancellationToken).ConfigureAwait(false);
        return created.Document.Id;
    }

    internal async Task<List<RagChunkRecord>> ToRecordsAsync(string collectionId, IReadOnlyList<RagChunk> chunks, CancellationToken cancellationToken)
    {
        var names = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var documentId in chunks.Select(c => c.DocumentId).Distinct(StringComparer.Ordinal))
        {
            names[documentId] = (await _collections.GetDocumentAsync(collectionId, documentId, cancellationToken).ConfigureAwait(false))?.Name;
        }

        return [.. chunks.Select(chunk => ChunkRecordMapping.ToRecord(chunk, names[chunk.DocumentId]))];
    }
}
