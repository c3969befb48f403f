using System.Numerics.Tensors;
using System.Text.Json;
using Gateway.Core.Embeddings;
using Gateway.Core.Errors;
using Gateway.Core.Jobs;
using Gateway.Core.Storage.Conversations;
using Gateway.Core.Storage.Jobs;
using Gateway.Core.Storage.Rag;
using Gateway.Core.Storage.Spaces;
using Gateway.Core.Vectors;
using Gateway.Rag.Chunking;
using Gateway.Rag.Chunking.Internal;
using Gateway.Rag.Collections;
using Gateway.Rag.Documents;
using Gateway.Rag.Extraction;
using Gateway.Rag.Reembedding;
using Gateway.Rag.Reembedding.Internal;
using Gateway.Rag.Retrieval;
using Gateway.Rag.Retrieval.Internal;
using Microsoft.Extensions.Options;

namespace Gateway.Rag;

/// <summary>
/// Collections of the user's documents and retrieval from them, over Core's RAG store contracts and the
/// gateway's embedding models. A collection is bound to one model of the <see cref="EmbeddingModelRegistry"/>
/// and its dimensions. Adding a document as text hashes it (same name and hash: nothing is embedded or
/// written), cuts it into chunks by the model's tokenizer with <see cref="RagOptions"/>' size and overlap,
/// embeds the chunks in batches and writes document, chunks and vectors in one store transaction. A search
/// embeds the query once and ranks chunks by vector similarity, by keywords (the store's ranking: BM25 on
/// SQLite, <c>ts_rank_cd</c> on PostgreSQL), or both fused by
/// reciprocal rank fusion. Changing the model of a collection that holds documents starts a re-embedding job
/// (<see cref="RagReembeddingJob"/>). Every failure is a <see cref="GatewayException"/> with a stable error code.
/// </summary>
public sealed class RagService
{
    /// <summary>The most chunks embedded in one call, so cancelling stops a long document between batches.</summary>
    private const int EmbeddingBatchSize = 32;

    /// <summary>How deep each ranking of a hybrid search is read, as a multiple of k (at least <see cref="MinHybridDepth"/>, at most <see cref="RagRules.MaxK"/>).</summary>
    private const int HybridDepthFactor = 4;

    private const int MinHybridDepth = 50;

    private readonly ISpaceStore _spaces;
    private readonly EmbeddingService _embeddings;
    private readonly RagOptions _options;
    private readonly int _batchSize;
    private readonly TimeProvider _time;
    private readonly DocumentExtraction _extraction;
    private readonly JobQueue _jobs;
    private readonly IJobStore _jobStore;
    private readonly ReembeddingOwnership _reembeddings;

    /// <summary>Creates the service over the stores and the embedding models.</summary>
    /// <param name="collections">Collections, documents and space links.</param>
    /// <param name="vectors">The chunks' vectors and keyword index.</param>
    /// <param name="spaces">The spaces, to tell an unknown space from one without collections.</param>
    /// <param name="embeddings">The embedding models.</param>
    /// <param name="options">Chunking and ranking settings.</param>
    /// <param name="embeddingOptions">The embedding limits; a batch never holds more than their most inputs.</param>
    /// <param name="jobs">The job queue re-embeddings run on.</param>
    /// <param name="jobStore">The jobs, to tell a re-embedding under way from one whose job has finished.</param>
    /// <param name="time">The clock searches are timed with; the system clock when <see langword="null"/>.</param>
    public RagService(
        IRagCollectionStore collections,
        IVectorStore vectors,
        ISpaceStore spaces,
        EmbeddingService embeddings,
        IOptions<RagOptions> options,
        IOptions<EmbeddingOptions> embeddingOptions,
        JobQueue jobs,
        IJobStore jobStore,
        TimeProvider? time = null)
    {
        Collections = collections ?? throw new ArgumentNullException(nameof(collections));
        Vectors = vectors ?? throw new ArgumentNullException(nameof(vectors));
        _spaces = spaces ?? throw new ArgumentNullException(nameof(spaces));
        _embeddings = embeddings ?? throw new ArgumentNullException(nameof(embeddings));
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(embeddingOptions);
        _options = options.Value;
        _batchSize = Math.Min(EmbeddingBatchSize, embeddingOptions.Value.MaxInputs);
        _time = time ?? TimeProvider.System;
        _extraction = new DocumentExtraction(_options.MaxDocumentBytes);
        _jobs = jobs ?? throw new ArgumentNullException(nameof(jobs));
        _jobStore = jobStore ?? throw new ArgumentNullException(nameof(jobStore));
        _reembeddings = new ReembeddingOwnership(collections, jobStore);
    }

    /// <summary>The collection store, for reads that are one store call.</summary>
    public IRagCollectionStore Collections { get; }

    /// <summary>The vector store, for reads and writes of chunk records by key.</summary>
    public IVectorStore Vectors { get; }

    /// <summary>Creates a collection bound to a registered embedding model and its dimensions.</summary>
    /// <exception cref="GatewayException">
    /// <c>embedding_model_not_found</c> (404), <c>embedding_model_mismatch</c> (400) when <see cref="NewRagCollection.Dimensions"/>
    /// is not the model's, <c>collection_name_taken</c> (409), <c>space_not_found</c> (404), <c>invalid_request</c>.
    /// </exception>
    public async Task<RagCollection> CreateCollectionAsync(NewRagCollection collection, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(collection);
        var model = ResolveModel(collection.EmbeddingModel, collection.Dimensions);
        var definition = new RagCollectionDefinition(collection.Name, model.Name, model.Dimensions, collection.Description, collection.SpaceId);
        return await Collections.CreateCollectionAsync(definition, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The collection with its counts.</summary>
    /// <exception cref="GatewayException"><c>collection_not_found</c> (404).</exception>
    public async Task<RagCollection> GetCollectionAsync(string collectionId, CancellationToken cancellationToken = default) =>
        await Collections.GetCollectionAsync(collectionId, cancellationToken).ConfigureAwait(false)
            ?? throw RagRules.CollectionNotFound(collectionId);

    /// <summary>
    /// Changes the fields <paramref name="changes"/> sets. A new embedding model brings its own dimensions; an empty
    /// collection takes it at once, one that holds documents is re-embedded: the other fields change at once, a
    /// <see cref="RagReembeddingJob"/> is queued (<see cref="RagCollectionUpdate.Reembedding"/> names it), and the
    /// collection answers with its old model and vectors until the job swaps the new ones in.
    /// </summary>
    /// <exception cref="GatewayException">
    /// <c>collection_not_found</c> (404), <c>embedding_model_not_found</c> (404), <c>embedding_model_mismatch</c> (400),
    /// <c>reembedding_in_progress</c> (409) while another re-embedding of the collection has not finished,
    /// <c>collection_name_taken</c> (409), <c>space_not_found</c> (404).
    /// </exception>
    public async Task<RagCollectionUpdate> UpdateCollectionAsync(string collectionId, RagCollectionChanges changes, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(changes);
        var current = await GetCollectionAsync(collectionId, cancellationToken).ConfigureAwait(false);
        var (model, dimensions) = (current.EmbeddingModel, current.Dimensions);
        if (changes.EmbeddingModel is { } wanted && !string.Equals(wanted, current.EmbeddingModel, StringComparison.OrdinalIgnoreCase))
        {
            var info = ResolveModel(wanted, changes.Dimensions);
            (model, dimensions) = (info.Name, info.Dimensions);
            if (await _reembeddings.InProgressAsync(collectionId, cancellationToken).ConfigureAwait(false) is { } running)
            {
                throw RagRules.ReembeddingInProgress(running);
            }
        }
        else if (changes.Dimensions is { } expected && expected != current.Dimensions)
        {
            throw DimensionsMismatch(current.EmbeddingModel, current.Dimensions, expected);
        }

        var reembeds = current.DocumentCount > 0 && !string.Equals(model, current.EmbeddingModel, StringComparison.OrdinalIgnoreCase);
        var definition = new RagCollectionDefinition(
            changes.Name ?? current.Name,
            reembeds ? current.EmbeddingModel : model,
            reembeds ? current.Dimensions : dimensions,
            Cleared(changes.Description, current.Description),
            Cleared(changes.SpaceId, current.SpaceId));
        var updated = await Collections.UpdateCollectionAsync(collectionId, definition, cancellationToken).ConfigureAwait(false)
            ?? throw RagRules.CollectionNotFound(collectionId);
        return reembeds
            ? new RagCollectionUpdate(updated, await StartReembeddingAsync(collectionId, model, dimensions, cancellationToken).ConfigureAwait(false))
            : new RagCollectionUpdate(updated, null);
    }

    /// <summary>Deletes the collection with its documents, chunks, vectors, keyword index entries and space links.</summary>
    /// <exception cref="GatewayException"><c>collection_not_found</c> (404).</exception>
    public async Task DeleteCollectionAsync(string collectionId, CancellationToken cancellationToken = default)
    {
        if (!await Collections.DeleteCollectionAsync(collectionId, cancellationToken).ConfigureAwait(false))
        {
            throw RagRules.CollectionNotFound(collectionId);
        }
    }

    /// <summary>
    /// Adds a document's text to a collection: <see cref="RagDocumentWriteOutcome.Created"/> for a new name,
    /// <see cref="RagDocumentWriteOutcome.Unchanged"/> when a document of the name has the same text (nothing is
    /// embedded or written, its metadata neither), otherwise <see cref="RagDocumentWriteOutcome.Replaced"/>: its
    /// chunks, vectors and metadata are swapped in one transaction under the same document id.
    /// </summary>
    /// <exception cref="GatewayException">
    /// <c>collection_not_found</c> (404), <c>payload_too_large</c> (413) past <see cref="RagOptions.MaxDocumentCharacters"/>,
    /// <c>embedding_model_not_found</c> (404) when the collection's model is no longer served, <c>invalid_request</c>.
    /// </exception>
    public Task<RagDocumentIngestion> AddDocumentAsync(string collectionId, NewRagDocument document, CancellationToken cancellationToken = default) =>
        AddTextAsync(collectionId, document, null, cancellationToken);

    /// <summary>Adds a document's text as <see cref="AddDocumentAsync"/> does, telling <paramref name="progress"/> of each embedded batch.</summary>
    internal async Task<RagDocumentIngestion> AddTextAsync(
        string collectionId, NewRagDocument document, IProgress<EmbeddingProgress>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(document);
        var collection = await GetCollectionAsync(collectionId, cancellationToken).ConfigureAwait(false);
        RagRules.ValidateDocumentName(document.Name);
        CheckText(document.Text);
        ConversationStoreRules.MetadataText(document.Metadata);
        return await AddExtractedAsync(collection, document.Name, () => MarkdownExtractor.Read(document.Text), document.Text, document.Metadata, progress, cancellationToken)
            .ConfigureAwait(false)
            ?? throw GatewayException.InvalidField("text", "expected at least one word to index.");
    }

    /// <summary>
    /// Adds a document file to a collection as <see cref="AddDocumentAsync"/> adds text: the file is read by the
    /// extractor of its type (<see cref="DocumentExtraction.SupportedTypes"/>), and its citations carry the headings,
    /// page or JSON path of each chunk's section. This is what an ingestion job runs for each file.
    /// </summary>
    /// <param name="collectionId">The collection.</param>
    /// <param name="fileName">The document's name in the collection; its ending picks the extractor.</param>
    /// <param name="content">The file's bytes, read to the end (at most <see cref="RagOptions.MaxDocumentBytes"/>).</param>
    /// <param name="metadata">A JSON object its chunks are filtered by, or <see langword="null"/> for <c>{}</c>.</param>
    /// <param name="progress">Told of each embedded batch, if set.</param>
    /// <param name="cancellationToken">Stops between pages, records and embedding batches.</param>
    /// <exception cref="GatewayException">
    /// <c>collection_not_found</c> (404), <c>unsupported_document_type</c>, <c>document_corrupt</c>, <c>document_encrypted</c>,
    /// <c>document_has_no_text</c> (400), <c>payload_too_large</c> (413) past <see cref="RagOptions.MaxDocumentBytes"/> or,
    /// for the extracted text, <see cref="RagOptions.MaxDocumentCharacters"/>, <c>embedding_model_not_found</c> (404), <c>invalid_request</c>.
    /// </exception>
    internal async Task<RagDocumentIngestion> AddFileAsync(
        string collectionId, string fileName, Stream content, JsonElement? metadata = null, IProgress<EmbeddingProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        var collection = await GetCollectionAsync(collectionId, cancellationToken).ConfigureAwait(false);
        RagRules.ValidateDocumentName(fileName);
        ConversationStoreRules.MetadataText(metadata);
        var extracted = await _extraction.ExtractAsync(content, fileName, cancellationToken).ConfigureAwait(false);
        if (extracted.Text.Length > _options.MaxDocumentCharacters)
        {
            throw DocumentExtractionErrors.TextTooLong(fileName, extracted.Text.Length, _options.MaxDocumentCharacters);
        }

        return await AddExtractedAsync(collection, fileName, () => extracted, extracted.Text, metadata, progress, cancellationToken).ConfigureAwait(false)
            ?? throw DocumentExtractionErrors.NoText(fileName, ".");
    }

    /// <summary>Hashes, chunks, embeds and writes a document; <see langword="null"/> when its text has no token.</summary>
    private async Task<RagDocumentIngestion?> AddExtractedAsync(
        RagCollection collection, string name, Func<ExtractedDocument> extract, string text, JsonElement? metadata,
        IProgress<EmbeddingProgress>? progress, CancellationToken cancellationToken)
    {
        var hash = RagRules.ContentHash(text);
        var existing = await Collections.FindDocumentByNameAsync(collection.Id, name, cancellationToken).ConfigureAwait(false);
        if (existing is not null && existing.ContentHash == hash)
        {
            return await WithChunksAsync(existing, RagDocumentWriteOutcome.Unchanged, cancellationToken).ConfigureAwait(false);
        }

        for (var attempt = 0; ; attempt++)
        {
            var model = ModelOf(collection);
            var chunks = Split(extract(), model);
            if (chunks.Count == 0)
            {
                return null;
            }

            var vectors = await EmbedAsync(collection, chunks, progress, cancellationToken).ConfigureAwait(false);
            var write = new RagDocumentWrite(
                name,
                hash,
                text.Length,
                [.. chunks.Select((chunk, i) => new NewRagChunk(chunk.Text, chunk.Citation, vectors[i]))],
                metadata,
                text);
            try
            {
                var written = await Collections.WriteDocumentAsync(collection.Id, write, cancellationToken).ConfigureAwait(false);
                return await WithChunksAsync(written.Document, written.Outcome, cancellationToken).ConfigureAwait(false);
            }
            catch (GatewayException error) when (attempt == 0 && error.ErrorCode == GatewayErrorCodes.EmbeddingModelMismatch)
            {
                // A re-embedding swapped another model in while this document was embedded: embed it again with that one.
                var now = await GetCollectionAsync(collection.Id, cancellationToken).ConfigureAwait(false);
                if (now.Dimensions == collection.Dimensions)
                {
                    throw;
                }

                collection = now;
            }
        }
    }

    /// <summary>The document.</summary>
    /// <exception cref="GatewayException"><c>collection_not_found</c> or <c>document_not_found</c> (404).</exception>
    public async Task<RagDocument> GetDocumentAsync(string collectionId, string documentId, CancellationToken cancellationToken = default) =>
        await Collections.GetDocumentAsync(collectionId, documentId, cancellationToken).ConfigureAwait(false)
            ?? throw await DocumentMissingAsync(collectionId, documentId, cancellationToken).ConfigureAwait(false);

    /// <summary>
    /// A stretch of the text a document was written with, by the document's id alone (a citation names no collection):
    /// characters <c>[start, end)</c> in UTF-16 offsets, as citations count them, so a chunk's citation reads back exactly
    /// its text. Without <paramref name="start"/> it starts at 0; without <paramref name="end"/> it runs to the text's end,
    /// at most <see cref="RagRules.MaxTextRangeLength"/> characters.
    /// </summary>
    /// <exception cref="GatewayException">
    /// <c>document_not_found</c> (404); <c>document_text_unavailable</c> (404) for a document written before its text was
    /// kept; <c>invalid_request</c> naming <c>start</c> or <c>end</c> for a range outside the text or longer than the maximum.
    /// </exception>
    public async Task<RagDocumentText> ReadDocumentTextAsync(string documentId, int? start = null, int? end = null, CancellationToken cancellationToken = default) =>
        await Collections.ReadDocumentTextAsync(documentId, start ?? 0, end, cancellationToken).ConfigureAwait(false)
            ?? throw RagRules.DocumentIdNotFound(documentId);

    /// <summary>Deletes the document with its chunks, vectors and keyword index entries.</summary>
    /// <exception cref="GatewayException"><c>collection_not_found</c> or <c>document_not_found</c> (404).</exception>
    public async Task DeleteDocumentAsync(string collectionId, string documentId, CancellationToken cancellationToken = default)
    {
        if (!await Collections.DeleteDocumentAsync(collectionId, documentId, cancellationToken).ConfigureAwait(false))
        {
            throw await DocumentMissingAsync(collectionId, documentId, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Links a collection to a space, so chats in the space retrieve from it; linking twice changes nothing.</summary>
    /// <exception cref="GatewayException"><c>space_not_found</c> or <c>collection_not_found</c> (404).</exception>
    public Task LinkCollectionAsync(string spaceId, string collectionId, CancellationToken cancellationToken = default) =>
        Collections.LinkCollectionAsync(spaceId, collectionId, cancellationToken);

    /// <summary>The collections a search or chat in the space uses: those linked to it and those it owns, oldest first.</summary>
    /// <exception cref="GatewayException"><c>space_not_found</c> (404).</exception>
    public async Task<IReadOnlyList<RagCollection>> ListSpaceCollectionsAsync(string spaceId, CancellationToken cancellationToken = default)
    {
        var collections = await Collections.ListSpaceCollectionsAsync(spaceId, cancellationToken).ConfigureAwait(false);
        if (collections.Count == 0)
        {
            _ = await _spaces.GetSpaceAsync(spaceId, cancellationToken).ConfigureAwait(false) ?? throw SpaceRules.SpaceNotFound(spaceId);
        }

        return collections;
    }

    /// <summary>Unlinks a collection from a space.</summary>
    /// <exception cref="GatewayException"><c>space_not_found</c> (404), or <c>collection_not_found</c> (404) when the collection is not linked to it.</exception>
    public async Task UnlinkCollectionAsync(string spaceId, string collectionId, CancellationToken cancellationToken = default)
    {
        if (await Collections.UnlinkCollectionAsync(spaceId, collectionId, cancellationToken).ConfigureAwait(false))
        {
            return;
        }

        _ = await _spaces.GetSpaceAsync(spaceId, cancellationToken).ConfigureAwait(false) ?? throw SpaceRules.SpaceNotFound(spaceId);
        throw new GatewayException(
            GatewayErrorKind.NotFound,
            GatewayErrorCodes.CollectionNotFound,
            $"collectionId: no collection with the id '{collectionId}' is linked to space '{spaceId}'.",
            new Dictionary<string, object?> { ["spaceId"] = spaceId, ["collectionId"] = collectionId, ["field"] = "collectionId" });
    }

    /// <summary>
    /// Searches the chunks of the request's collections (or its space's). Vector mode ranks by cosine
    /// similarity; keyword mode by the store's keyword relevance; hybrid reads both rankings deeper than k, gives keyword-only hits
    /// their similarity too, drops hits under <see cref="RagSearchRequest.MinScore"/> from both, and fuses them
    /// with reciprocal rank fusion (<see cref="RagOptions.RrfConstant"/>). The query is embedded once, timed apart.
    /// </summary>
    /// <exception cref="GatewayException">
    /// <c>collection_not_found</c> or <c>space_not_found</c> (404), <c>embedding_model_mismatch</c> (400) when the
    /// collections are bound to different models, <c>invalid_request</c> for a bad query, k or minScore.
    /// </exception>
    public async Task<RagSearchResult> SearchAsync(RagSearchRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (string.IsNullOrWhiteSpace(request.Query))
        {
            throw GatewayException.InvalidField("query", "expected text to search for.");
        }

        var k = request.K ?? _options.DefaultK;
        CheckMinScore(request);
        var collections = await SearchedCollectionsAsync(request, cancellationToken).ConfigureAwait(false);
        if (collections.Count == 0)
        {
            return new RagSearchResult([], [], TimeSpan.Zero, TimeSpan.Zero);
        }

        var ids = collections.Select(collection => collection.Id).ToArray();
        RagRules.ValidateSearch(ids, k);
        var embeddingStarted = _time.GetTimestamp();
        var query = request.Mode == RagSearchMode.Keyword ? default : await EmbedQueryAsync(collections, request.Query, cancellationToken).ConfigureAwait(false);
        var embeddingTime = request.Mode == RagSearchMode.Keyword ? TimeSpan.Zero : _time.GetElapsedTime(embeddingStarted);

        var searchStarted = _time.GetTimestamp();
        var hits = request.Mode switch
        {
            RagSearchMode.Vector => (await Vectors.SearchAsync(new VectorSearchRequest(ids, query, k, request.Filter, request.MinScore), cancellationToken).ConfigureAwait(false))
                .Select(hit => new RagSearchHit(hit.Chunk, hit.DocumentName, hit.Score, hit.Score, null)).ToArray(),
            RagSearchMode.Keyword => (await Vectors.KeywordSearchAsync(new KeywordSearchRequest(ids, request.Query, k, request.Filter), cancellationToken).ConfigureAwait(false))
                .Select(hit => new RagSearchHit(hit.Chunk, hit.DocumentName, hit.Score, null, hit.Score)).ToArray(),
            _ => await HybridAsync(ids, request, query, k, cancellationToken).ConfigureAwait(false),
        };
        return new RagSearchResult(ids, hits, embeddingTime, _time.GetElapsedTime(searchStarted));
    }

    private async Task<IReadOnlyList<RagSearchHit>> HybridAsync(
        string[] ids, RagSearchRequest request, ReadOnlyMemory<float> query, int k, CancellationToken cancellationToken)
    {
        var depth = Math.Clamp(k * HybridDepthFactor, Math.Min(MinHybridDepth, RagRules.MaxK), RagRules.MaxK);
        var vector = await Vectors.SearchAsync(new VectorSearchRequest(ids, query, depth, request.Filter, request.MinScore), cancellationToken).ConfigureAwait(false);
        var keyword = await Vectors.KeywordSearchAsync(new KeywordSearchRequest(ids, request.Query, depth, request.Filter), cancellationToken).ConfigureAwait(false);
        var similarity = vector.ToDictionary(hit => hit.Chunk.Id, hit => hit.Score, StringComparer.Ordinal);
        await AddSimilaritiesAsync(keyword.Where(hit => !similarity.ContainsKey(hit.Chunk.Id)), query, similarity, cancellationToken).ConfigureAwait(false);

        var scoredKeyword = keyword
            .Select(hit => (Hit: hit, VectorScore: similarity.GetValueOrDefault(hit.Chunk.Id, double.NaN)))
            .Where(scored => request.MinScore is not { } min || scored.VectorScore >= min)
            .ToArray();
        return ReciprocalRankFusion.Fuse(vector, scoredKeyword, _options.RrfConstant, k);
    }

    /// <summary>The cosine similarity to the query of each keyword hit the vector ranking did not reach, from its stored (normalised) vector.</summary>
    private async Task AddSimilaritiesAsync(
        IEnumerable<ChunkSearchHit> hits, ReadOnlyMemory<float> query, Dictionary<string, double> similarity, CancellationToken cancellationToken)
    {
        foreach (var group in hits.GroupBy(hit => hit.Chunk.CollectionId, StringComparer.Ordinal))
        {
            var chunks = await Vectors.GetChunksAsync(group.Key, [.. group.Select(hit => hit.Chunk.Id)], includeVectors: true, cancellationToken).ConfigureAwait(false);
            foreach (var chunk in chunks)
            {
                if (chunk.Vector is { } stored)
                {
                    similarity[chunk.Id] = TensorPrimitives.Dot(query.Span, stored.Span);
                }
            }
        }
    }

    private async Task<ReadOnlyMemory<float>> EmbedQueryAsync(IReadOnlyList<RagCollection> collections, string query, CancellationToken cancellationToken)
    {
        var first = collections[0];
        foreach (var other in collections.Skip(1))
        {
            if (!string.Equals(other.EmbeddingModel, first.EmbeddingModel, StringComparison.OrdinalIgnoreCase) || other.Dimensions != first.Dimensions)
            {
                throw RagRules.EmbeddingModelMismatch(other, first.EmbeddingModel, "collectionIds");
            }
        }

        ModelOf(first);
        var embedded = await _embeddings.EmbedAsync(first.EmbeddingModel, [query], first.Dimensions, cancellationToken).ConfigureAwait(false);
        return VectorMath.Normalized(embedded.Embeddings[0].Vector.Span);
    }

    private async Task<IReadOnlyList<RagCollection>> SearchedCollectionsAsync(RagSearchRequest request, CancellationToken cancellationToken)
    {
        switch (request.CollectionIds, request.SpaceId)
        {
            case ({ }, { }):
                throw GatewayException.InvalidField("spaceId", "send collectionIds or spaceId, not both.");
            case (null, null):
                throw GatewayException.InvalidField("collectionIds", "expected the collections to search, or a spaceId.");
            case (null, { } spaceId):
                return await ListSpaceCollectionsAsync(spaceId, cancellationToken).ConfigureAwait(false);
        }

        var ids = request.CollectionIds;
        if (ids.Count == 0)
        {
            throw GatewayException.InvalidField("collectionIds", "expected at least one collection.");
        }

        var collections = new List<RagCollection>(ids.Count);
        for (var i = 0; i < ids.Count; i++)
        {
            if (collections.Exists(collection => collection.Id == ids[i]))
            {
                continue;
            }

            collections.Add(await Collections.GetCollectionAsync(ids[i], cancellationToken).ConfigureAwait(false)
                ?? throw RagRules.CollectionNotFound(ids[i], $"collectionIds[{i}]"));
        }

        return collections;
    }

    private static void CheckMinScore(RagSearchRequest request)
    {
        if (request.MinScore is not { } minScore)
        {
            return;
        }

        if (request.Mode == RagSearchMode.Keyword)
        {
            throw GatewayException.InvalidField("minScore", "it applies to the cosine similarity of the query's embedding, which keyword mode does not compute; use mode vector or hybrid, or leave minScore out.");
        }

        if (!double.IsFinite(minScore) || minScore is < -1 or > 1)
        {
            throw GatewayException.InvalidField("minScore", "expected a cosine similarity from -1 to 1.");
        }
    }

    internal void CheckText(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            throw GatewayException.InvalidField("text", "expected the document's text, at least one word.");
        }

        if (text.Length > _options.MaxDocumentCharacters)
        {
            throw new GatewayException(
                GatewayErrorKind.PayloadTooLarge,
                GatewayErrorCodes.PayloadTooLarge,
                $"text: {text.Length} characters are more than the limit of {_options.MaxDocumentCharacters} (RAG_MAX_DOCUMENT_CHARS); split the document.",
                new Dictionary<string, object?> { ["field"] = "text", ["limit"] = _options.MaxDocumentCharacters, ["length"] = text.Length });
        }
    }

    private IReadOnlyList<TextChunk> Split(ExtractedDocument document, EmbeddingModel model)
    {
        // The model reads its special tokens ([CLS], [SEP]) too; a chunk never passes what it reads whole.
        var size = Math.Min(_options.ChunkTokens, Math.Max(2, model.Info.MaxInputTokens - 2));
        var overlap = Math.Min(_options.ChunkOverlapTokens, (size - 1) / 2);
        return TextChunker.Split(document, model.Tokenizer ?? ApproximateTokenizer.Instance, size, overlap);
    }

    private async Task<ReadOnlyMemory<float>[]> EmbedAsync(
        RagCollection collection, IReadOnlyList<TextChunk> chunks, IProgress<EmbeddingProgress>? progress, CancellationToken cancellationToken)
    {
        var vectors = new ReadOnlyMemory<float>[chunks.Count];
        progress?.Report(new EmbeddingProgress(0, chunks.Count));
        for (var start = 0; start < chunks.Count; start += _batchSize)
        {
            var batch = chunks.Skip(start).Take(_batchSize).Select(chunk => chunk.Text).ToArray();
            var embedded = await _embeddings.EmbedAsync(collection.EmbeddingModel, batch, collection.Dimensions, cancellationToken).ConfigureAwait(false);
            for (var i = 0; i < batch.Length; i++)
            {
                vectors[start + i] = embedded.Embeddings[i].Vector;
            }

            progress?.Report(new EmbeddingProgress(start + batch.Length, chunks.Count));
        }

        return vectors;
    }

    // Queues the job, then begins its re-embedding (the job begins it too, should it run first — it may even have swapped
    // and completed by now); a re-embedding begun meanwhile by another request wins, and this job is cancelled.
    private async Task<RagReembedding> StartReembeddingAsync(string collectionId, string model, int dimensions, CancellationToken cancellationToken)
    {
        var job = await _jobs.EnqueueAsync(new NewJob(RagReembeddingJob.Kind, new ReembeddingPayload(collectionId, model, dimensions).ToJson()), cancellationToken)
            .ConfigureAwait(false);
        try
        {
            return await _reembeddings.BeginAsync(collectionId, model, dimensions, job.Id, cancellationToken).ConfigureAwait(false);
        }
        catch (GatewayException)
        {
            if (await Collections.GetReembeddingAsync(collectionId, CancellationToken.None).ConfigureAwait(false) is { } begun && begun.JobId == job.Id)
            {
                return begun;
            }

            var ours = await _jobStore.GetAsync(job.Id, CancellationToken.None).ConfigureAwait(false);
            if (ours is { State: JobState.Completed })
            {
                return new RagReembedding(collectionId, model, dimensions, job.Id, ours.StartedAt ?? ours.CreatedAt, 0, 0);
            }

            if (ours is { IsFinished: false })
            {
                await _jobStore.RequestCancelAsync(job.Id, CancellationToken.None).ConfigureAwait(false);
            }

            throw;
        }
    }

    private async Task<RagDocumentIngestion> WithChunksAsync(RagDocument document, RagDocumentWriteOutcome outcome, CancellationToken cancellationToken) =>
        new(document, outcome, await Collections.ListDocumentChunksAsync(document.CollectionId, document.Id, cancellationToken).ConfigureAwait(false));

    private async Task<GatewayException> DocumentMissingAsync(string collectionId, string documentId, CancellationToken cancellationToken) =>
        await Collections.GetCollectionAsync(collectionId, cancellationToken).ConfigureAwait(false) is null
            ? RagRules.CollectionNotFound(collectionId)
            : RagRules.DocumentNotFound(collectionId, documentId);

    /// <summary>The collection's model, which must still be served with the collection's dimensions.</summary>
    private EmbeddingModel ModelOf(RagCollection collection)
    {
        var model = _embeddings.Registry.Resolve(collection.EmbeddingModel);
        return model.Info.Dimensions == collection.Dimensions
            ? model
            : throw RagRules.EmbeddingModelMismatch(collection, $"{model.Info.Name} ({model.Info.Dimensions} dimensions)");
    }

    private EmbeddingModelInfo ResolveModel(string? name, int? dimensions)
    {
        var info = _embeddings.Registry.Resolve(name).Info;
        return dimensions is { } expected && expected != info.Dimensions ? throw DimensionsMismatch(info.Name, info.Dimensions, expected) : info;
    }

    private static GatewayException DimensionsMismatch(string model, int modelDimensions, int dimensions) => new(
        GatewayErrorKind.InvalidRequest,
        GatewayErrorCodes.EmbeddingModelMismatch,
        $"dimensions: the embedding model '{model}' returns {modelDimensions} dimensions, not {dimensions}; omit dimensions or send {modelDimensions}.",
        new Dictionary<string, object?> { ["field"] = "dimensions", ["embeddingModel"] = model, ["expectedDimensions"] = modelDimensions, ["dimensions"] = dimensions });

    private static string? Cleared(string? change, string? current) => change switch
    {
        null => current,
        "" => null,
        _ => change,
    };
}
