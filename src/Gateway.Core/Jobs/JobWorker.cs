using Gateway.Core.Jobs.Internal;
using Gateway.Core.Storage.Jobs;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Gateway.Core.Jobs;

/// <summary>
/// This process's job worker: claims jobs of the kinds that have a handler, up to
/// <see cref="JobWorkerOptions.Concurrency"/> at once, under the lease of one owner per worker
/// (<c>{machine}:{process id}:{random}</c>), and runs each with <see cref="JobRunner"/>. An idle worker
/// claims again when this process queues a job, else every <see cref="JobWorkerOptions.PollInterval"/>.
/// When the host stops, every running job's token fires and its claim is released back to the queue, so
/// another process (or this one, restarted) takes it at once. Beside that, unless
/// <see cref="JobWorkerOptions.Retention"/> is zero, it deletes the jobs that finished longer ago than that,
/// when it starts and every <see cref="RetentionSweepInterval"/>.
/// </summary>
internal sealed class JobWorker : BackgroundService
{
    /// <summary>How often finished jobs past <see cref="JobWorkerOptions.Retention"/> are looked for.</summary>
    public static readonly TimeSpan RetentionSweepInterval = TimeSpan.FromHours(1);

    private const int RetentionBatch = 1000;

    private readonly IJobStore _store;
    private readonly JobRunner _runner;
    private readonly JobSignals _signals;
    private readonly JobWorkerOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Dictionary<string, Type> _handlers;

    public JobWorker(
        IJobStore store, JobRunner runner, JobSignals signals, IEnumerable<JobHandlerRegistration> registrations,
        IOptions<JobWorkerOptions> options, TimeProvider time, ILogger<JobWorker> logger)
    {
        _store = store;
        _runner = runner;
        _signals = signals;
        _options = options.Value;
        _time = time;
        _logger = logger;
        _handlers = registrations.ToDictionary(registration => registration.Kind, registration => registration.HandlerType, StringComparer.Ordinal);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (_handlers.Count == 0)
        {
            return;
        }

        string[] kinds = [.. _handlers.Keys.Order(StringComparer.Ordinal)];
        JobWorkerLog.Started(_logger, _runner.Owner, _options.Concurrency, string.Join(", ", kinds));
        using var slots = new SemaphoreSlim(_options.Concurrency);
        var runs = new List<Task>();
        var sweeps = _options.Retention > TimeSpan.Zero ? SweepFinishedJobsAsync(stoppingToken) : Task.CompletedTask;
        try
        {
            while (true)
            {
                await slots.WaitAsync(stoppingToken).ConfigureAwait(false);
                runs.RemoveAll(run => run.IsCompleted);
                var queued = _signals.Queued.Next;
                var claim = await TryClaimAsync(kinds, stoppingToken).ConfigureAwait(false);
                if (claim is null)
                {
                    slots.Release();
                    await JobPulse.WaitAsync(queued, _options.PollInterval, _time, stoppingToken).ConfigureAwait(false);
                    stoppingToken.ThrowIfCancellationRequested();
                    continue;
                }

                runs.Add(RunAndFreeSlotAsync(claim, slots, stoppingToken));
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // The host is stopping: each run sees it through its token and releases its job.
        }

        await Task.WhenAll([.. runs, sweeps]).ConfigureAwait(false);
    }

    // Deletes, in batches, the jobs that finished before the retention; every replica may do it, a job is deleted once.
    private async Task SweepFinishedJobsAsync(CancellationToken stoppingToken)
    {
        try
        {
            while (true)
            {
                try
                {
                    var before = _time.GetUtcNow() - _options.Retention;
                    int deleted;
                    var total = 0;
                    do
                    {
                        deleted = await _store.DeleteFinishedBeforeAsync(before, RetentionBatch, stoppingToken).ConfigureAwait(false);
                        total += deleted;
                    }
                    while (deleted == RetentionBatch);

                    if (total > 0)
                    {
                        JobWorkerLog.FinishedJobsDeleted(_logger, total, before);
                    }
                }
                catch (Exception error) when (!stoppingToken.IsCancellationRequested)
                {
                    JobWorkerLog.RetentionFailed(_logger, RetentionSweepInterval, error);
                }

                await Task.Delay(RetentionSweepInterval, _time, stoppingToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // The host is stopping.
        }
    }

    private async Task<JobClaim?> TryClaimAsync(string[] kinds, CancellationToken stoppingToken)
    {
        try
        {
            return await _store.TryClaimAsync(kinds, _runner.Owner, _options.LeaseDuration, stoppingToken).ConfigureAwait(false);
        }
        catch (Exception error) when (!stoppingToken.IsCancellationRequested)
        {
            JobWorkerLog.ClaimFailed(_logger, _options.PollInterval, error);
            return null;
        }
    }

    private async Task RunAndFreeSlotAsync(JobClaim claim, SemaphoreSlim slots, CancellationToken stoppingToken)
    {
        try
        {
            await _runner.RunAsync(claim, _handlers[claim.Job.Kind], stoppingToken).ConfigureAwait(false);
        }
        finally
        {
            slots.Release();
        }
    }
}
