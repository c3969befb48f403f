using System.Text.Json;
using Gateway.Core.Errors;
using Gateway.Core.Storage.Conversations;

namespace Gateway.Core.Storage.Jobs;

/// <summary>
/// The durable job queue that ingestion, flow runs and training share. Every backend passes the same
/// conformance suite. A job is queued, claimed by one worker at a time under a lease that heartbeats
/// renew, and finished by that worker; a worker that dies stops heartbeating, its lease expires and the
/// next claim takes the job over from its last checkpoint (at most <see cref="Job.MaxAttempts"/> claims,
/// then it fails with <see cref="GatewayErrorCodes.JobAbandoned"/> — a job is never left running).
/// Every write of a worker is fenced by its <see cref="JobLease.Token"/>; every change of state, every
/// progress report and every checkpoint appends a <see cref="JobEvent"/> in the same transaction.
/// Instants come from the store's <see cref="TimeProvider"/>; replicas' clocks must agree to well within
/// a lease.
/// </summary>
public interface IJobStore
{
    /// <summary>Queues a job with a new sortable id, stores its <see cref="NewJob.Attachments"/> and appends its <c>queued</c> event, in one transaction.</summary>
    /// <exception cref="GatewayException"><see cref="GatewayErrorCodes.InvalidRequest"/> naming the bad field (<see cref="JobRules.Validate(NewJob)"/>).</exception>
    Task<Job> EnqueueAsync(NewJob job, CancellationToken cancellationToken = default);

    /// <summary>
    /// The bytes of the job's attachment <paramref name="name"/>, read whole, as a read-only stream; <see langword="null"/>
    /// when the job has none of this name: it never had it, or it is finished and its attachments are deleted.
    /// </summary>
    Task<Stream?> OpenAttachmentAsync(string jobId, string name, CancellationToken cancellationToken = default);

    /// <summary>The job, or <see langword="null"/> when there is none with this id.</summary>
    Task<Job?> GetAsync(string jobId, CancellationToken cancellationToken = default);

    /// <summary>A page of jobs, newest first, keyset-paginated.</summary>
    Task<Page<Job>> ListAsync(JobQuery query, CancellationToken cancellationToken = default);

    /// <summary>
    /// Claims the oldest job of <paramref name="kinds"/> that is queued or running under an expired lease,
    /// for <paramref name="owner"/> until <paramref name="leaseDuration"/> from now, and counts the attempt;
    /// <see langword="null"/> when there is none. An expired job with a cancel (pause) request is cancelled
    /// (paused) instead, and one with no attempts left fails with <see cref="GatewayErrorCodes.JobAbandoned"/>;
    /// the claim then looks further. Two workers racing, in one process or many, never claim the same job.
    /// </summary>
    /// <exception cref="GatewayException"><see cref="GatewayErrorCodes.InvalidRequest"/> for no kinds, a blank owner or a lease that is not positive.</exception>
    Task<JobClaim?> TryClaimAsync(IReadOnlyCollection<string> kinds, string owner, TimeSpan leaseDuration, CancellationToken cancellationToken = default);

    /// <summary>
    /// Renews <paramref name="lease"/> until <paramref name="leaseDuration"/> from now and, when
    /// <paramref name="progress"/> is given, stores it and appends a <c>progress</c> event. Says whether the
    /// job was asked to cancel or pause, or that the lease is lost (nothing is written then).
    /// </summary>
    Task<JobSignal> HeartbeatAsync(JobLease lease, JsonElement? progress, TimeSpan leaseDuration, CancellationToken cancellationToken = default);

    /// <summary>Stores <paramref name="checkpoint"/> as the job's latest (replacing the one before) and appends a <c>checkpoint</c> event.</summary>
    /// <exception cref="GatewayException"><see cref="GatewayErrorCodes.JobLeaseLost"/> when <paramref name="lease"/> no longer holds the job.</exception>
    Task SaveCheckpointAsync(JobLease lease, JsonElement checkpoint, CancellationToken cancellationToken = default);

    /// <summary>
    /// Ends <paramref name="lease"/> with <paramref name="outcome"/>: completed, failed, cancelled, paused
    /// (checkpoint kept) or released back to the queue; the lease and any requests are cleared and the
    /// matching event is appended.
    /// </summary>
    /// <exception cref="GatewayException"><see cref="GatewayErrorCodes.JobLeaseLost"/> when <paramref name="lease"/> no longer holds the job.</exception>
    Task<Job> FinishAsync(JobLease lease, JobOutcome outcome, CancellationToken cancellationToken = default);

    /// <summary>
    /// Cancels a queued or paused job at once; asks a running one to stop (<see cref="Job.CancelRequested"/>,
    /// seen by its worker's next heartbeat). Asking again changes nothing.
    /// </summary>
    /// <exception cref="GatewayException"><see cref="GatewayErrorCodes.JobNotFound"/>; <see cref="GatewayErrorCodes.JobStateConflict"/> for a finished job.</exception>
    Task<Job> RequestCancelAsync(string jobId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Pauses a queued job at once; asks a running one to pause (<see cref="Job.PauseRequested"/>). A paused
    /// job stays as it is.
    /// </summary>
    /// <exception cref="GatewayException"><see cref="GatewayErrorCodes.JobNotFound"/>; <see cref="GatewayErrorCodes.JobStateConflict"/> for a finished job.</exception>
    Task<Job> RequestPauseAsync(string jobId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Queues a paused job again with its checkpoint and its attempts given back; withdraws a running job's
    /// pause request not yet honoured. A queued job stays as it is.
    /// </summary>
    /// <exception cref="GatewayException"><see cref="GatewayErrorCodes.JobNotFound"/>; <see cref="GatewayErrorCodes.JobStateConflict"/> for a finished job.</exception>
    Task<Job> ResumeAsync(string jobId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Up to <paramref name="limit"/> events of the job after <paramref name="afterSequence"/> (0 for the first),
    /// in order; empty when there are none yet or no such job. Polling this from any replica streams the job.
    /// </summary>
    Task<IReadOnlyList<JobEvent>> ReadEventsAsync(string jobId, long afterSequence, int limit, CancellationToken cancellationToken = default);

    /// <summary>
    /// Deletes up to <paramref name="limit"/> finished jobs (completed, failed, cancelled) that finished before
    /// <paramref name="before"/>, oldest first, with their events and attachments, in one transaction; returns
    /// how many jobs it deleted. Waiting and running jobs are never deleted. Call it again while it returns
    /// <paramref name="limit"/>.
    /// </summary>
    /// <exception cref="GatewayException"><see cref="GatewayErrorCodes.InvalidRequest"/> for a limit outside 1 to <see cref="JobRules.MaxDeleteBatch"/>.</exception>
    Task<int> DeleteFinishedBeforeAsync(DateTimeOffset before, int limit, CancellationToken cancellationToken = default);
}
