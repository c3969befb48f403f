using System.Runtime.CompilerServices;
using System.Diagnostics.CodeAnalysis;
using Gateway.Core.Errors;
using Gateway.Core.Storage.Rag;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.VectorData;

namespace Gateway.Rag.VectorData;

/// <summary>
/// One RAG collection (found by its name) as a <see cref="VectorStoreCollection{TKey, TRecord}"/> of
/// <see cref="RagChunkRecord"/>: get, upsert and delete by key, filtered reads, and vector search with the
/// filters <see cref="RagChunkRecord"/> describes. A search input may be the query text (embedded with the
/// collection's own model), a <see cref="ReadOnlyMemory{T}"/> or array of <see cref="float"/>, or an
/// <see cref="Embedding{T}"/>. A store error surfaces as <see cref="VectorStoreException"/> whose inner
/// <see cref="GatewayException"/> carries the error code.
/// </summary>
[SuppressMessage("ApiDesign", "RS0026:Do not add multiple public overloads with optional parameters", Justification = "The overloads are the abstraction's; these override them.")]
public sealed class RagVectorStoreCollection : VectorStoreCollection<string, RagChunkRecord>
{
    private const string SystemName = "gateway";
    private readonly RagVectorStore _store;

    internal RagVectorStoreCollection(RagVectorStore store, string name)
    {
        _store = store;
        Name = name;
    }

    /// <inheritdoc />
    public override string Name { get; }

    /// <inheritdoc />
    public override async Task<bool> CollectionExistsAsync(CancellationToken cancellationToken = default) =>
        await Run("CollectionExists", async () => await _store.FindCollectionAsync(Name, cancellationToken).ConfigureAwait(false) is not null).ConfigureAwait(false);

    /// <summary>Creates the collection, bound to the store's embedding model, unless it exists.</summary>
    public override Task EnsureCollectionExistsAsync(CancellationToken cancellationToken = default) =>
        Run("EnsureCollectionExists", () => _store.EnsureCollectionAsync(Name, cancellationToken));

    /// <inheritdoc />
    public override Task EnsureCollectionDeletedAsync(CancellationToken cancellationToken = default) =>
        Run("EnsureCollectionDeleted", () => _store.DeleteCollectionAsync(Name, cancellationToken));

    /// <inheritdoc />
    public override async Task<RagChunkRecord?> GetAsync(string key, RecordRetrievalOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        var records = await GetManyAsync([key], options?.IncludeVectors ?? false, cancellationToken).ConfigureAwait(false);
        return records.Count == 0 ? null : records[0];
    }

    /// <inheritdoc />
    public override async IAsyncEnumerable<RagChunkRecord> GetAsync(
        IEnumerable<string> keys, RecordRetrievalOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(keys);
        foreach (var record in await GetManyAsync([.. keys], options?.IncludeVectors ?? false, cancellationToken).ConfigureAwait(false))
        {
            yield return record;
        }
    }

    /// <summary>The records <paramref name="filter"/> matches, ordered by key; ordering by other properties is not supported.</summary>
    public override async IAsyncEnumerable<RagChunkRecord> GetAsync(
        System.Linq.Expressions.Expression<Func<RagChunkRecord, bool>> filter,
        int top,
        FilteredRecordRetrievalOptions<RagChunkRecord>? options = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(filter);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(top);
        if (options?.OrderBy is not null)
        {
            throw new NotSupportedException("The gateway's collections return filtered records ordered by key; OrderBy is not supported.");
        }

        var translated = FilterExpressionTranslator.Translate(filter);
        var records = await Run("Get", async () =>
        {
            var collection = await _store.RequireCollectionAsync(Name, cancellationToken).ConfigureAwait(false);
            var chunks = await _store.Vectors.FindChunksAsync(
                collection.Id, translated, top, options?.Skip ?? 0, options?.IncludeVectors ?? false, cancellationToken).ConfigureAwait(false);
            return await _store.ToRecordsAsync(collection.Id, chunks, cancellationToken).ConfigureAwait(false);
        }).ConfigureAwait(false);
        foreach (var record in records)
        {
            yield return record;
        }
    }

    /// <inheritdoc />
    public override Task DeleteAsync(string key, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        return DeleteAsync([key], cancellationToken);
    }

    /// <inheritdoc />
    public override Task DeleteAsync(IEnumerable<string> keys, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(keys);
        string[] list = [.. keys];
        return Run("Delete", async () =>
        {
            var collection = await _store.RequireCollectionAsync(Name, cancellationToken).ConfigureAwait(false);
            await _store.Vectors.DeleteChunksAsync(collection.Id, list, cancellationToken).ConfigureAwait(false);
        });
    }

    /// <inheritdoc />
    public override Task UpsertAsync(RagChunkRecord record, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(record);
        return UpsertAsync([record], cancellationToken);
    }

    /// <summary>
    /// Writes the records, all or none; each names its document by <see cref="RagChunkRecord.DocumentId"/> or
    /// <see cref="RagChunkRecord.DocumentName"/> (a name the collection does not hold yet becomes an empty document first).
    /// </summary>
    public override Task UpsertAsync(IEnumerable<RagChunkRecord> records, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(records);
        RagChunkRecord[] list = [.. records];
        return Run("Upsert", async () =>
        {
            var collection = await _store.RequireCollectionAsync(Name, cancellationToken).ConfigureAwait(false);
            for (var i = 0; i < list.Length; i++)
            {
                RagRules.CheckVector(list[i].Vector.Span, collection.Dimensions, $"records[{i}].vector");
            }

            var upserts = new List<RagChunkUpsert>(list.Length);
            foreach (var record in list)
            {
                var documentId = await _store.ResolveDocumentAsync(collection.Id, record, cancellationToken).ConfigureAwait(false);
                upserts.Add(ChunkRecordMapping.ToUpsert(record, documentId));
            }

            await _store.Vectors.UpsertChunksAsync(collection.Id, upserts, cancellationToken).ConfigureAwait(false);
        });
    }

    /// <summary>The nearest records, highest cosine similarity first; <see cref="VectorSearchOptions{TRecord}.ScoreThreshold"/> is the lowest similarity kept.</summary>
    public override async IAsyncEnumerable<VectorSearchResult<RagChunkRecord>> SearchAsync<TInput>(
        TInput searchValue,
        int top,
        VectorSearchOptions<RagChunkRecord>? options = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(searchValue);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(top);
        var skip = options?.Skip ?? 0;
        ArgumentOutOfRangeException.ThrowIfNegative(skip);
        var filter = FilterExpressionTranslator.Translate(options?.Filter);
        var results = await Run("Search", async () =>
        {
            var collection = await _store.RequireCollectionAsync(Name, cancellationToken).ConfigureAwait(false);
            var vector = await QueryVectorAsync(collection, searchValue, cancellationToken).ConfigureAwait(false);
            var hits = await _store.Vectors.SearchAsync(
                new VectorSearchRequest([collection.Id], vector, top + skip, filter, options?.ScoreThreshold), cancellationToken).ConfigureAwait(false);
            var page = hits.Skip(skip).ToList();
            var vectors = options?.IncludeVectors == true
                ? (await _store.Vectors.GetChunksAsync(collection.Id, [.. page.Select(h => h.Chunk.Id)], true, cancellationToken).ConfigureAwait(false))
                    .ToDictionary(c => c.Id, c => c.Vector, StringComparer.Ordinal)
                : null;
            return page.Select(hit => new VectorSearchResult<RagChunkRecord>(
                ChunkRecordMapping.ToRecord(hit.Chunk with { Vector = vectors?.GetValueOrDefault(hit.Chunk.Id) }, hit.DocumentName), hit.Score)).ToList();
        }).ConfigureAwait(false);
        foreach (var result in results)
        {
            yield return result;
        }
    }

    /// <inheritdoc />
    public override object? GetService(Type serviceType, object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        return serviceKey is not null ? null
            : serviceType == typeof(VectorStoreCollectionMetadata) ? new VectorStoreCollectionMetadata { VectorStoreSystemName = SystemName, CollectionName = Name }
            : serviceType.IsInstanceOfType(this) ? this
            : _store.GetService(serviceType);
    }

    private async Task<List<RagChunkRecord>> GetManyAsync(IReadOnlyList<string> keys, bool includeVectors, CancellationToken cancellationToken) =>
        await Run("Get", async () =>
        {
            var collection = await _store.RequireCollectionAsync(Name, cancellationToken).ConfigureAwait(false);
            var chunks = await _store.Vectors.GetChunksAsync(collection.Id, keys, includeVectors, cancellationToken).ConfigureAwait(false);
            return await _store.ToRecordsAsync(collection.Id, chunks, cancellationToken).ConfigureAwait(false);
        }).ConfigureAwait(false);

    private async Task<ReadOnlyMemory<float>> QueryVectorAsync<TInput>(RagCollection collection, TInput input, CancellationToken cancellationToken)
    {
        switch (input)
        {
            case ReadOnlyMemory<float> memory:
                return memory;
            case float[] array:
                return array;
            case Embedding<float> embedding:
                return embedding.Vector;
            case string text:
                var embeddings = _store.Embeddings
                    ?? throw new NotSupportedException("Searching by text needs the gateway's embedding models (AddGateway with an embedding model).");
                var result = await embeddings.EmbedAsync(collection.EmbeddingModel, [text], cancellationToken: cancellationToken).ConfigureAwait(false);
                return result.Embeddings[0].Vector;
            default:
                throw new NotSupportedException(
                    $"A search input of type {typeof(TInput).Name} is not supported; pass the query text, ReadOnlyMemory<float>, float[] or Embedding<float>.");
        }
    }

    private Task Run(string operation, Func<Task> work) => Run(operation, async () =>
    {
        await work().ConfigureAwait(false);
        return true;
    });

    private async Task<T> Run<T>(string operation, Func<Task<T>> work)
    {
        try
        {
            return await work().ConfigureAwait(false);
        }
        catch (GatewayException error)
        {
            throw new VectorStoreException($"{operation} on collection '{Name}' failed: {error.Message}", error)
            {
                VectorStoreSystemName = SystemName,
                CollectionName = Name,
                OperationName = operation,
            };
        }
    }
}
