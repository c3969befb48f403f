using System.Text.Json;
using Gateway.Core.Errors;
using Gateway.Core.Metrics;
using Gateway.Core.Storage.Jobs;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Gateway.Core.Jobs.Internal;

/// <summary>
/// Runs one claim of a job: the handler, resolved in a scope of its own, and beside it a heartbeat every
/// <see cref="JobWorkerOptions.HeartbeatInterval"/> that renews the lease, stores the latest progress and
/// fires the handler's token when the job is asked to cancel or pause or the lease is lost. Then it ends
/// the claim: cancelled, paused, nothing written (lease lost), released (the host is stopping), or as the
/// handler ended: completed with its result, failed with its <see cref="GatewayException"/>'s code, or
/// failed with <see cref="GatewayErrorCodes.JobFailed"/>. Never throws.
/// </summary>
internal sealed class JobRunner(
    IJobStore store, IServiceScopeFactory scopes, JobSignals signals, IOptions<JobWorkerOptions> options, TimeProvider time,
    GatewayMetrics metrics, ILogger<JobRunner> logger)
{
    private const string GenericFailure = "The job's handler failed unexpectedly; the gateway's log has the error.";

    private readonly JobWorkerOptions _options = options.Value;

    /// <summary>The lease owner of this process's worker: <c>{machine}:{process id}:{random}</c>, so two workers never share one.</summary>
    public string Owner { get; } = $"{Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid().ToString("N")[..8]}";

    public async Task RunAsync(JobClaim claim, Type handlerType, CancellationToken stoppingToken)
    {
        var job = claim.Job;
        var kind = new KeyValuePair<string, object?>("kind", job.Kind);
        metrics.JobsRunning.Add(1, kind);
        JobWorkerLog.Claimed(logger, job.Id, job.Kind, Owner, job.Attempts);
        try
        {
            var name = await RunInScopeAsync(claim, handlerType, stoppingToken).ConfigureAwait(false);
            metrics.JobsFinished.Add(1, kind, new KeyValuePair<string, object?>("outcome", name));
            JobWorkerLog.Ended(logger, job.Id, job.Kind, name);
        }
        finally
        {
            metrics.JobsRunning.Add(-1, kind);
            signals.Stopped.Fire();
        }
    }

    // Runs the handler beside its heartbeats and ends the claim; the outcome's name.
    private async Task<string> RunInScopeAsync(JobClaim claim, Type handlerType, CancellationToken stoppingToken)
    {
        using var jobStop = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        var context = new JobContext(claim, store);
        var scope = scopes.CreateAsyncScope();
        await using (scope.ConfigureAwait(false))
        {
            var run = StartHandler(scope.ServiceProvider, handlerType, context, jobStop.Token);
            var reason = await HeartbeatUntilEndedAsync(context, run, jobStop).ConfigureAwait(false);
            var (outcome, name) = Decide(claim.Job, run, reason, jobStop.IsCancellationRequested);
            if (outcome is not null)
            {
                return await FinishAsync(context, outcome, name).ConfigureAwait(false);
            }

            JobWorkerLog.LeaseLost(logger, claim.Job.Id, claim.Job.Kind, Owner);
            return name;
        }
    }

    private static Task<JsonElement?> StartHandler(IServiceProvider services, Type handlerType, JobContext context, CancellationToken cancellationToken)
    {
        try
        {
            var handler = (IJobHandler)services.GetRequiredService(handlerType);
            // On the thread pool: a handler that blocks before its first await must not hold back the heartbeats.
            return Task.Run(() => handler.RunAsync(context, cancellationToken), CancellationToken.None);
        }
        catch (Exception error)
        {
            return Task.FromException<JsonElement?>(error);
        }
    }

    // Heartbeats until the handler ends; fires its token on a cancel or pause request or a lost lease, and says which.
    private async Task<JobStopReason> HeartbeatUntilEndedAsync(JobContext context, Task run, CancellationTokenSource jobStop)
    {
        var reason = JobStopReason.None;
        while (true)
        {
            await JobPulse.WaitAsync(run, _options.HeartbeatInterval, time, CancellationToken.None).ConfigureAwait(false);
            if (run.IsCompleted)
            {
                return reason;
            }

            if (reason == JobStopReason.LeaseLost)
            {
                continue;
            }

            var signal = await HeartbeatAsync(context).ConfigureAwait(false);
            var next = signal switch
            {
                JobSignal.LeaseLost => JobStopReason.LeaseLost,
                JobSignal.CancelRequested => JobStopReason.Cancel,
                JobSignal.PauseRequested when reason == JobStopReason.None => JobStopReason.Pause,
                _ => reason,
            };
            if (next != reason)
            {
                reason = next;
                await jobStop.CancelAsync().ConfigureAwait(false);
            }
        }
    }

    // Sends the latest progress with the heartbeat; a failed heartbeat keeps the progress for the next one and changes nothing.
    private async Task<JobSignal> HeartbeatAsync(JobContext context)
    {
        var progress = context.TakeProgress();
        try
        {
            return await store.HeartbeatAsync(context.Lease, progress, _options.LeaseDuration, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception error)
        {
            if (progress is { } unsent)
            {
                context.ReturnProgress(unsent);
            }

            JobWorkerLog.HeartbeatFailed(logger, context.Job.Id, error);
            return JobSignal.Continue;
        }
    }

    // Once the worker fired the token, why it did decides; otherwise how the handler ended. Null: write nothing.
    private (JobOutcome? Outcome, string Name) Decide(Job job, Task<JsonElement?> run, JobStopReason reason, bool stopped)
    {
        if (reason == JobStopReason.LeaseLost || run.Exception?.InnerException is GatewayException { ErrorCode: GatewayErrorCodes.JobLeaseLost })
        {
            return (null, "lease_lost");
        }

        if (reason == JobStopReason.Cancel)
        {
            return (JobOutcome.Cancelled, "cancelled");
        }

        if (reason == JobStopReason.Pause)
        {
            return (JobOutcome.Paused, "paused");
        }

        if (stopped)
        {
            return (JobOutcome.Released, "released");
        }

        if (run.IsCompletedSuccessfully)
        {
            return (JobOutcome.Completed(run.Result), "completed");
        }

        if (run.Exception?.InnerException is GatewayException failure)
        {
            return (JobOutcome.Failed(new JobError(failure.ErrorCode, failure.Message)), "failed");
        }

        JobWorkerLog.HandlerFailed(logger, job.Id, job.Kind, run.Exception?.InnerException ?? new TaskCanceledException(run));
        return (JobOutcome.Failed(new JobError(GatewayErrorCodes.JobFailed, GenericFailure)), "failed");
    }

    // Stores progress not yet sent, then ends the claim; the outcome's name, or lease_lost when another worker holds the job now.
    private async Task<string> FinishAsync(JobContext context, JobOutcome outcome, string name)
    {
        try
        {
            if (context.TakeProgress() is { } progress)
            {
                await store.HeartbeatAsync(context.Lease, progress, _options.LeaseDuration, CancellationToken.None).ConfigureAwait(false);
            }

            await store.FinishAsync(context.Lease, outcome, CancellationToken.None).ConfigureAwait(false);
            return name;
        }
        catch (GatewayException error) when (error.ErrorCode == GatewayErrorCodes.JobLeaseLost)
        {
            JobWorkerLog.LeaseLost(logger, context.Job.Id, context.Job.Kind, Owner);
            return "lease_lost";
        }
        catch (Exception error)
        {
            JobWorkerLog.FinishFailed(logger, context.Job.Id, name, error);
            return "finish_failed";
        }
    }
}
