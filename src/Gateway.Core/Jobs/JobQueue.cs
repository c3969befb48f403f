using Gateway.Core.Jobs.Internal;
using Gateway.Core.Storage.Jobs;
using Microsoft.Extensions.Options;

namespace Gateway.Core.Jobs;

/// <summary>
/// Where endpoints queue jobs and wait for them. Jobs go to the <see cref="IJobStore"/>, so any replica's
/// worker may run them; this process's worker is woken at once.
/// </summary>
public sealed class JobQueue
{
    private readonly IJobStore _store;
    private readonly JobSignals _signals;
    private readonly TimeProvider _time;
    private readonly TimeSpan _pollInterval;

    internal JobQueue(IJobStore store, JobSignals signals, TimeProvider time, IOptions<JobWorkerOptions> options)
    {
        _store = store;
        _signals = signals;
        _time = time;
        _pollInterval = options.Value.PollInterval;
    }

    /// <summary>Stores <paramref name="job"/> as queued and wakes this process's worker, which claims it at once when it has a free slot.</summary>
    /// <exception cref="Errors.GatewayException"><see cref="Errors.GatewayErrorCodes.InvalidRequest"/> naming the bad field.</exception>
    public async Task<Job> EnqueueAsync(NewJob job, CancellationToken cancellationToken = default)
    {
        var queued = await _store.EnqueueAsync(job, cancellationToken).ConfigureAwait(false);
        _signals.Queued.Fire();
        return queued;
    }

    /// <summary>
    /// Waits until the job stops running: finished (completed, failed, cancelled) or paused, and returns it as
    /// it is then. A job run by this process is seen at once, one run elsewhere within <c>Gateway:Jobs:PollInterval</c>.
    /// </summary>
    /// <exception cref="Errors.GatewayException"><see cref="Errors.GatewayErrorCodes.JobNotFound"/> when there is no such job.</exception>
    public async Task<Job> WaitAsync(string jobId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(jobId);
        while (true)
        {
            var stopped = _signals.Stopped.Next;
            var job = await _store.GetAsync(jobId, cancellationToken).ConfigureAwait(false) ?? throw JobRules.JobNotFound(jobId);
            if (job.IsFinished || job.State == JobState.Paused)
            {
                return job;
            }

            await JobPulse.WaitAsync(stopped, _pollInterval, _time, cancellationToken).ConfigureAwait(false);
            cancellationToken.ThrowIfCancellationRequested();
        }
    }
}
