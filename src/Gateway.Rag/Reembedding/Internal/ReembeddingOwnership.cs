using Gateway.Core.Storage.Jobs;
using Gateway.Core.Storage.Rag;

namespace Gateway.Rag.Reembedding.Internal;

/// <summary>
/// Which job owns a collection's re-embedding. A re-embedding whose job is still queued, running or paused is in
/// progress; one whose job finished (failed, cancelled, abandoned after a crash) or is gone holds nothing any more,
/// and the next re-embedding of the collection replaces it with its pending vectors.
/// </summary>
internal sealed class ReembeddingOwnership(IRagCollectionStore collections, IJobStore jobs)
{
    /// <summary>The collection's re-embedding while its job has not finished; <see langword="null"/> when there is none.</summary>
    public async Task<RagReembedding?> InProgressAsync(string collectionId, CancellationToken cancellationToken) =>
        await collections.GetReembeddingAsync(collectionId, cancellationToken).ConfigureAwait(false) is { } reembedding
        && await IsUnfinishedAsync(reembedding.JobId, cancellationToken).ConfigureAwait(false)
            ? reembedding
            : null;

    /// <summary>
    /// Begins <paramref name="jobId"/>'s re-embedding, or returns it when it has begun (the request that queued the job
    /// and the job itself both begin it, whichever comes first); a finished job's re-embedding is replaced.
    /// </summary>
    /// <exception cref="Core.Errors.GatewayException"><c>reembedding_in_progress</c> (409) when an unfinished job owns the collection's re-embedding.</exception>
    public async Task<RagReembedding> BeginAsync(string collectionId, string embeddingModel, int dimensions, string jobId, CancellationToken cancellationToken)
    {
        var current = await collections.GetReembeddingAsync(collectionId, cancellationToken).ConfigureAwait(false);
        string? replaces = null;
        if (current is not null && current.JobId != jobId)
        {
            if (await IsUnfinishedAsync(current.JobId, cancellationToken).ConfigureAwait(false))
            {
                throw RagRules.ReembeddingInProgress(current);
            }

            replaces = current.JobId;
        }

        return await collections.BeginReembeddingAsync(collectionId, new RagReembeddingDefinition(embeddingModel, dimensions, jobId, replaces), cancellationToken)
            .ConfigureAwait(false);
    }

    private async Task<bool> IsUnfinishedAsync(string jobId, CancellationToken cancellationToken) =>
        await jobs.GetAsync(jobId, cancellationToken).ConfigureAwait(false) is { IsFinished: false };
}
