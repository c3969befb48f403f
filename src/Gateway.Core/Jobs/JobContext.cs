using System.Text.Json;
using Gateway.Core.Storage.Jobs;

namespace Gateway.Core.Jobs;

/// <summary>What a running <see cref="IJobHandler"/> sees of its job: the job as claimed, its progress and its checkpoints.</summary>
public sealed class JobContext
{
    private readonly IJobStore _store;
    private readonly Lock _gate = new();
    private JsonElement? _pendingProgress;

    internal JobContext(JobClaim claim, IJobStore store)
    {
        Job = claim.Job;
        Lease = claim.Lease;
        _store = store;
    }

    /// <summary>The job as claimed: its <see cref="Job.Payload"/>, its <see cref="Job.Checkpoint"/> (where to resume) and its <see cref="Job.Attempts"/>.</summary>
    public Job Job { get; }

    internal JobLease Lease { get; }

    /// <summary>
    /// Reports how far the job is. The latest report wins; the worker's next heartbeat
    /// (<c>Gateway:Jobs:HeartbeatInterval</c>, default 1 s) stores it as <see cref="Job.Progress"/> and appends a
    /// <c>progress</c> event. Cheap: call it as often as the work moves on.
    /// </summary>
    public void ReportProgress(JsonElement progress)
    {
        var copy = progress.Clone();
        lock (_gate)
        {
            _pendingProgress = copy;
        }
    }

    /// <summary>Stores <paramref name="checkpoint"/> as where the job resumes after a pause, a release or a takeover.</summary>
    /// <exception cref="Errors.GatewayException"><see cref="Errors.GatewayErrorCodes.JobLeaseLost"/> when this worker no longer holds the job.</exception>
    public Task SaveCheckpointAsync(JsonElement checkpoint, CancellationToken cancellationToken) =>
        _store.SaveCheckpointAsync(Lease, checkpoint, cancellationToken);

    // The progress reported since the last heartbeat, if any; the heartbeat stores it.
    internal JsonElement? TakeProgress()
    {
        lock (_gate)
        {
            var progress = _pendingProgress;
            _pendingProgress = null;
            return progress;
        }
    }

    // Puts back progress a failed heartbeat could not store, unless newer progress came meanwhile.
    internal void ReturnProgress(JsonElement progress)
    {
        lock (_gate)
        {
            _pendingProgress ??= progress;
        }
    }
}
