using System.Data.Common;
using Gateway.Core.Storage.Rag;
using Gateway.Core.Vectors;
using static Gateway.Storage.Relational.DbCommands;
using static Gateway.Storage.Relational.RagRows;

namespace Gateway.Storage.Relational;

/// <summary>
/// The re-embedding part of <see cref="IRagCollectionStore"/> on either engine: the SQL is the same but for
/// how the collection is locked, how instants and vectors are stored and how vectors are swapped in
/// (<see cref="ReembeddingEngine"/>). A collection has at most one <c>rag_reembeddings</c> row, owned by a job;
/// its pending vectors sit in <c>rag_pending_vectors</c>, one per chunk, and go with the row, the chunk or the
/// collection (<c>ON DELETE CASCADE</c>). Every write locks the collection's row first, as every write of its
/// documents and chunks does, so the swap's check that every chunk has its pending vector and the swap itself
/// see the same chunks.
/// </summary>
internal sealed class RelationalReembeddings(IConnectionReads reads, IConnectionWrites writes, RagReads ragReads, ReembeddingEngine engine, TimeProvider time)
{
    private const string Columns = """
        r.collection_id, r.embedding_model, r.dimensions, r.job_id, r.started_at, c.chunk_count,
        (SELECT count(*) FROM rag_pending_vectors p WHERE p.collection_id = r.collection_id)
        """;

    private const string ById = $"SELECT {Columns} FROM rag_reembeddings r JOIN rag_collections c ON c.id = r.collection_id WHERE r.collection_id = @collection";

    private const string Insert = """
        INSERT INTO rag_reembeddings (collection_id, embedding_model, dimensions, job_id, started_at) VALUES (@collection, @model, @dimensions, @job, @now)
        """;

    private const string Delete = "DELETE FROM rag_reembeddings WHERE collection_id = @collection AND job_id = @job";

    private const string WithoutPending = "NOT EXISTS (SELECT 1 FROM rag_pending_vectors p WHERE p.collection_id = c.collection_id AND p.chunk_id = c.id)";

    private const string ToReembed = $"""
        SELECT {ChunkColumns} FROM rag_chunks c WHERE c.collection_id = @collection AND c.id > @after AND {WithoutPending} ORDER BY c.id LIMIT @take
        """;

    private const string Missing = $"SELECT count(*) FROM rag_chunks c WHERE c.collection_id = @collection AND {WithoutPending}";

    // Only while the chunk still has the text the vector was embedded from.
    private const string WritePending = """
        INSERT INTO rag_pending_vectors (collection_id, chunk_id, vector)
        SELECT collection_id, id, @vector FROM rag_chunks WHERE collection_id = @collection AND id = @chunk AND text = @text
        ON CONFLICT (collection_id, chunk_id) DO UPDATE SET vector = excluded.vector
        """;

    private const string SwapCollection = "UPDATE rag_collections SET embedding_model = @model, dimensions = @dimensions, updated_at = @now WHERE id = @collection";

    private readonly string _lockCollection = $"SELECT 1 FROM rag_collections WHERE id = @collection {engine.LockRow}";

    public Task<RagReembedding> BeginAsync(string collectionId, RagReembeddingDefinition definition, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(collectionId);
        ArgumentNullException.ThrowIfNull(definition);
        return writes.WriteAsync(async (connection, transaction, ct) =>
        {
            var collection = await LockAsync(connection, transaction, collectionId, ct).ConfigureAwait(false);
            if (await FindAsync(connection, transaction, collectionId, ct).ConfigureAwait(false) is { } existing)
            {
                if (existing.JobId == definition.JobId)
                {
                    return existing;
                }

                if (existing.JobId != definition.ReplacesJobId)
                {
                    throw RagRules.ReembeddingInProgress(existing);
                }

                await ExecuteAsync(connection, transaction, Delete, ct, ("@collection", collectionId), ("@job", existing.JobId)).ConfigureAwait(false);
            }

            RagRules.Validate(definition, collection);
            await ExecuteAsync(connection, transaction, Insert, ct,
                ("@collection", collectionId), ("@model", definition.EmbeddingModel), ("@dimensions", definition.Dimensions),
                ("@job", definition.JobId), ("@now", engine.StoreTime(time.GetUtcNow()))).ConfigureAwait(false);
            return await FindAsync(connection, transaction, collectionId, ct).ConfigureAwait(false)
                ?? throw new InvalidOperationException("The re-embedding just begun could not be read back.");
        }, cancellationToken);
    }

    public Task<RagReembedding?> GetAsync(string collectionId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(collectionId);
        return reads.ReadAsync((connection, ct) => FindAsync(connection, null, collectionId, ct), cancellationToken);
    }

    public Task<IReadOnlyList<RagChunk>> ListToReembedAsync(string collectionId, string jobId, string? afterChunkId, int limit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(collectionId);
        ArgumentNullException.ThrowIfNull(jobId);
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        return reads.ReadAsync<IReadOnlyList<RagChunk>>(async (connection, ct) =>
        {
            await RequireOwnAsync(connection, null, collectionId, jobId, ct).ConfigureAwait(false);
            return await ListAsync(connection, null, ToReembed, static reader => ReadChunk(reader), ct,
                ("@collection", collectionId), ("@after", afterChunkId ?? string.Empty), ("@take", limit)).ConfigureAwait(false);
        }, cancellationToken);
    }

    public Task<int> WritePendingAsync(string collectionId, string jobId, IReadOnlyList<PendingChunkVector> vectors, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(collectionId);
        ArgumentNullException.ThrowIfNull(jobId);
        ArgumentNullException.ThrowIfNull(vectors);
        return writes.WriteAsync(async (connection, transaction, ct) =>
        {
            await LockAsync(connection, transaction, collectionId, ct).ConfigureAwait(false);
            var reembedding = await RequireOwnAsync(connection, transaction, collectionId, jobId, ct).ConfigureAwait(false);
            for (var i = 0; i < vectors.Count; i++)
            {
                ArgumentNullException.ThrowIfNull(vectors[i]);
                RagRules.CheckVector(vectors[i].Vector.Span, reembedding.Dimensions, $"vectors[{i}].vector");
            }

            var written = 0;
            var command = Create(connection, transaction, WritePending, ("@collection", collectionId), ("@chunk", null), ("@text", null), ("@vector", null));
            await using (command.ConfigureAwait(false))
            {
                var (chunk, text, vector) = (command.Parameters[1], command.Parameters[2], command.Parameters[3]);
                foreach (var pending in vectors)
                {
                    chunk.Value = pending.ChunkId;
                    text.Value = pending.Text;
                    vector.Value = engine.StoreVector(VectorMath.Normalized(pending.Vector.Span));
                    written += await command.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
                }
            }

            return written;
        }, cancellationToken);
    }

    public Task<RagReembeddingSwap> SwapAsync(string collectionId, string jobId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(collectionId);
        ArgumentNullException.ThrowIfNull(jobId);
        return writes.WriteAsync(async (connection, transaction, ct) =>
        {
            var collection = await LockAsync(connection, transaction, collectionId, ct).ConfigureAwait(false);
            var reembedding = await RequireOwnAsync(connection, transaction, collectionId, jobId, ct).ConfigureAwait(false);
            var missing = Convert.ToInt64(await ScalarAsync(connection, transaction, Missing, ct, ("@collection", collectionId)).ConfigureAwait(false),
                System.Globalization.CultureInfo.InvariantCulture);
            if (missing > 0)
            {
                return new RagReembeddingSwap(false, missing, collection);
            }

            await ExecuteAsync(connection, transaction, engine.SwapVectors, ct, ("@collection", collectionId), ("@dimensions", reembedding.Dimensions)).ConfigureAwait(false);
            await ExecuteAsync(connection, transaction, SwapCollection, ct,
                ("@collection", collectionId), ("@model", reembedding.EmbeddingModel), ("@dimensions", reembedding.Dimensions),
                ("@now", engine.StoreTime(Later(collection.UpdatedAt)))).ConfigureAwait(false);
            await ExecuteAsync(connection, transaction, Delete, ct, ("@collection", collectionId), ("@job", jobId)).ConfigureAwait(false);
            return new RagReembeddingSwap(true, 0, await ragReads.RequireCollectionAsync(connection, transaction, collectionId, ct).ConfigureAwait(false));
        }, cancellationToken);
    }

    public Task<bool> CancelAsync(string collectionId, string jobId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(collectionId);
        ArgumentNullException.ThrowIfNull(jobId);
        return writes.WriteAsync(async (connection, transaction, ct) =>
            await ExecuteAsync(connection, transaction, Delete, ct, ("@collection", collectionId), ("@job", jobId)).ConfigureAwait(false) > 0,
            cancellationToken);
    }

    // Replicas' clocks differ a little; updated_at never moves backwards.
    private DateTimeOffset Later(DateTimeOffset updatedAt) => time.GetUtcNow() is var now && now > updatedAt ? now : updatedAt;

    private async Task<RagCollection> LockAsync(DbConnection connection, DbTransaction transaction, string collectionId, CancellationToken cancellationToken)
    {
        if (await ScalarAsync(connection, transaction, _lockCollection, cancellationToken, ("@collection", collectionId)).ConfigureAwait(false) is null)
        {
            throw RagRules.CollectionNotFound(collectionId);
        }

        return await ragReads.RequireCollectionAsync(connection, transaction, collectionId, cancellationToken).ConfigureAwait(false);
    }

    private async Task<RagReembedding> RequireOwnAsync(
        DbConnection connection, DbTransaction? transaction, string collectionId, string jobId, CancellationToken cancellationToken)
    {
        var reembedding = await FindAsync(connection, transaction, collectionId, cancellationToken).ConfigureAwait(false);
        if (reembedding?.JobId == jobId)
        {
            return reembedding;
        }

        if (reembedding is null && await ragReads.FindCollectionAsync(connection, transaction, collectionId, cancellationToken).ConfigureAwait(false) is null)
        {
            throw RagRules.CollectionNotFound(collectionId);
        }

        throw RagRules.ReembeddingNotFound(collectionId, jobId);
    }

    private async Task<RagReembedding?> FindAsync(DbConnection connection, DbTransaction? transaction, string collectionId, CancellationToken cancellationToken)
    {
        var rows = await ListAsync(connection, transaction, ById, reader => new RagReembedding(
            CollectionId: reader.GetString(0),
            EmbeddingModel: reader.GetString(1),
            Dimensions: reader.GetInt32(2),
            JobId: reader.GetString(3),
            StartedAt: engine.ReadTime(reader, 4),
            ChunksTotal: reader.GetInt64(5),
            ChunksDone: reader.GetInt64(6)), cancellationToken, ("@collection", collectionId)).ConfigureAwait(false);
        return rows.Count == 0 ? null : rows[0];
    }
}
