using System.Text.Json;
using Gateway.Core.Embeddings;
using Gateway.Core.Jobs;
using Gateway.Core.Storage.Jobs;
using Gateway.Core.Storage.Rag;
using Gateway.Rag.Reembedding.Internal;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Gateway.Rag.Reembedding;

/// <summary>
/// The <c>rag.reembedding</c> job: embeds every chunk of a collection with another model, in batches, and swaps the
/// new vectors in when all are stored (<see cref="IRagCollectionStore.SwapReembeddingAsync"/>). Searches read the old
/// vectors until then. Chunks written while it runs come with vectors of the old model; the swap refuses while any
/// lacks its new one, and the job embeds those and tries again. Its progress is an ingestion's shape (chunksTotal,
/// chunksDone…); its checkpoint is the last chunk id done, so a claim that takes it over carries on from there (the
/// vectors already stored are kept either way). Cancelled or failed, it drops the new vectors and the collection stays
/// as it was; paused, or stopped with its host, it keeps them for the claim that resumes it.
/// </summary>
internal sealed partial class RagReembeddingJob(
    IRagCollectionStore collections,
    IJobStore jobs,
    EmbeddingService embeddings,
    IOptions<EmbeddingOptions> embeddingOptions,
    TimeProvider time,
    ILogger<RagReembeddingJob> logger) : IJobHandler
{
    /// <summary>The job kind.</summary>
    public const string Kind = "rag.reembedding";

    /// <summary>The most chunks embedded in one call (fewer when the embedding limits say so).</summary>
    private const int MaxBatchSize = 32;

    /// <summary>How often the resume point is saved: each save is a job event, and the stored vectors are kept without it.</summary>
    private static readonly TimeSpan CheckpointInterval = TimeSpan.FromSeconds(5);

    private readonly ReembeddingOwnership _ownership = new(collections, jobs);
    private readonly int _batchSize = Math.Min(MaxBatchSize, embeddingOptions.Value.MaxInputs);

    /// <inheritdoc />
    public async Task<JsonElement?> RunAsync(JobContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var job = context.Job;
        var payload = ReembeddingPayload.From(job.Payload);
        var collection = await collections.GetCollectionAsync(payload.CollectionId, cancellationToken).ConfigureAwait(false)
            ?? throw RagRules.CollectionNotFound(payload.CollectionId);
        var current = await collections.GetReembeddingAsync(payload.CollectionId, cancellationToken).ConfigureAwait(false);
        if (current?.JobId != job.Id && string.Equals(collection.EmbeddingModel, payload.EmbeddingModel, StringComparison.OrdinalIgnoreCase)
            && collection.Dimensions == payload.Dimensions)
        {
            // An earlier claim swapped and then lost its lease before finishing the job.
            return Progress(payload, collection, collection.ChunkCount, collection.ChunkCount, swapped: true).ToJson();
        }

        var model = embeddings.Registry.Resolve(payload.EmbeddingModel);
        if (model.Info.Dimensions != payload.Dimensions)
        {
            throw RagRules.EmbeddingModelMismatch(collection with { EmbeddingModel = payload.EmbeddingModel, Dimensions = payload.Dimensions },
                $"{model.Info.Name} ({model.Info.Dimensions} dimensions)");
        }

        var reembedding = await _ownership.BeginAsync(payload.CollectionId, model.Info.Name, model.Info.Dimensions, job.Id, cancellationToken)
            .ConfigureAwait(false);
        try
        {
            return await EmbedAndSwapAsync(context, payload, collection, reembedding, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Cancelled for good: the new vectors go. Paused, taken over or stopped with the host: they stay for the next claim.
            if ((await jobs.GetAsync(job.Id, CancellationToken.None).ConfigureAwait(false))?.CancelRequested == true)
            {
                await DropAsync(payload.CollectionId, job.Id).ConfigureAwait(false);
            }

            throw;
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            await DropAsync(payload.CollectionId, job.Id).ConfigureAwait(false);
            throw;
        }
    }

    private async Task<JsonElement?> EmbedAndSwapAsync(
        JobContext context, ReembeddingPayload payload, RagCollection collection, RagReembedding reembedding, CancellationToken cancellationToken)
    {
        var jobId = context.Job.Id;
        var after = ReembeddingCheckpoint.From(context.Job.Checkpoint).AfterChunkId;
        var (total, done) = (reembedding.ChunksTotal, reembedding.ChunksDone);
        var lastCheckpoint = time.GetTimestamp();
        context.ReportProgress(Progress(payload, collection, total, done, swapped: false).ToJson());
        while (true)
        {
            var chunks = await collections.ListChunksToReembedAsync(payload.CollectionId, jobId, after, _batchSize, cancellationToken).ConfigureAwait(false);
            if (chunks.Count == 0)
            {
                var swap = await collections.SwapReembeddingAsync(payload.CollectionId, jobId, cancellationToken).ConfigureAwait(false);
                if (swap.Swapped)
                {
                    LogSwapped(logger, payload.CollectionId, payload.EmbeddingModel, swap.Collection.ChunkCount);
                    var finished = Progress(payload, swap.Collection, swap.Collection.ChunkCount, swap.Collection.ChunkCount, swapped: true).ToJson();
                    context.ReportProgress(finished);
                    return finished;
                }

                // Chunks written meanwhile, wherever their ids sort: embed them, from the first.
                LogChunksWrittenMeanwhile(logger, payload.CollectionId, swap.ChunksMissing);
                after = null;
                var now = await collections.GetReembeddingAsync(payload.CollectionId, cancellationToken).ConfigureAwait(false)
                    ?? throw RagRules.ReembeddingNotFound(payload.CollectionId, jobId);
                (total, done, collection) = (now.ChunksTotal, now.ChunksDone, swap.Collection);
                continue;
            }

            var embedded = await embeddings.EmbedAsync(payload.EmbeddingModel, [.. chunks.Select(chunk => chunk.Text)], payload.Dimensions, cancellationToken)
                .ConfigureAwait(false);
            var vectors = chunks.Select((chunk, i) => new PendingChunkVector(chunk.Id, chunk.Text, embedded.Embeddings[i].Vector)).ToList();
            done += await collections.WritePendingVectorsAsync(payload.CollectionId, jobId, vectors, cancellationToken).ConfigureAwait(false);
            after = chunks[^1].Id;
            total = Math.Max(total, done);
            context.ReportProgress(Progress(payload, collection, total, done, swapped: false).ToJson());
            if (time.GetElapsedTime(lastCheckpoint) >= CheckpointInterval)
            {
                await context.SaveCheckpointAsync(new ReembeddingCheckpoint(after).ToJson(), cancellationToken).ConfigureAwait(false);
                lastCheckpoint = time.GetTimestamp();
            }
        }
    }

    // Not cancellable: the job is ending, and the vectors must not outlive it.
    private async Task DropAsync(string collectionId, string jobId)
    {
        if (await collections.CancelReembeddingAsync(collectionId, jobId, CancellationToken.None).ConfigureAwait(false))
        {
            LogDropped(logger, collectionId, jobId);
        }
    }

    private static ReembeddingProgress Progress(ReembeddingPayload payload, RagCollection collection, long total, long done, bool swapped) =>
        new(payload.CollectionId, payload.EmbeddingModel, payload.Dimensions, collection.DocumentCount, swapped ? collection.DocumentCount : 0, total, done);

    [LoggerMessage(Level = LogLevel.Information, Message = "Re-embedded collection {CollectionId} with {EmbeddingModel}: {Chunks} chunks swapped in.")]
    private static partial void LogSwapped(ILogger logger, string collectionId, string embeddingModel, long chunks);

    [LoggerMessage(Level = LogLevel.Debug, Message = "The re-embedding of collection {CollectionId} embeds {Missing} chunks written meanwhile before it swaps.")]
    private static partial void LogChunksWrittenMeanwhile(ILogger logger, string collectionId, long missing);

    [LoggerMessage(Level = LogLevel.Information, Message = "The re-embedding of collection {CollectionId} by job {JobId} ended without a swap; its new vectors were dropped.")]
    private static partial void LogDropped(ILogger logger, string collectionId, string jobId);
}
