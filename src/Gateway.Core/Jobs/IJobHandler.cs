using System.Text.Json;

namespace Gateway.Core.Jobs;

/// <summary>
/// Runs the jobs of one kind (ingestion, re-embedding, a flow run, training); registered with
/// <c>AddJobHandler&lt;THandler&gt;(kind)</c> on the gateway builder. The worker resolves a handler in a new
/// service scope for every claim.
/// </summary>
public interface IJobHandler
{
    /// <summary>
    /// Runs one claim of a job: from <see cref="JobContext.Job"/>'s checkpoint when it has one, since a claim
    /// after a pause, a release or a takeover starts the work again. Returns the result kept with the
    /// completed job (<see langword="null"/> for none).
    /// </summary>
    /// <param name="context">The job as claimed, and where to report progress and save checkpoints.</param>
    /// <param name="cancellationToken">
    /// Fires when the job is asked to cancel or pause, its lease is lost, or the host stops; the worker then
    /// finishes it as cancelled, paused, not at all, or released back to the queue, however the handler ends.
    /// </param>
    /// <returns>The result of the completed job, or <see langword="null"/>.</returns>
    /// <remarks>
    /// A <see cref="Errors.GatewayException"/> fails the job with its error code and message; any other
    /// exception fails it with <see cref="Errors.GatewayErrorCodes.JobFailed"/>, logged with the exception,
    /// and a generic detail.
    /// </remarks>
    Task<JsonElement?> RunAsync(JobContext context, CancellationToken cancellationToken);
}
