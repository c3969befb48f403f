using System.Text.Json;

namespace Gateway.Core.Storage.Jobs;

/// <summary>How a worker ends its hold on a job; one of the factories below.</summary>
public sealed record JobOutcome
{
    private JobOutcome(JobState state, JsonElement? result, JobError? error)
    {
        State = state;
        Result = result;
        Error = error;
    }

    /// <summary>The state the job goes to: <see cref="JobState.Queued"/> for <see cref="Released"/>.</summary>
    public JobState State { get; }

    /// <summary>The result of a completed job.</summary>
    public JsonElement? Result { get; }

    /// <summary>The error of a failed job.</summary>
    public JobError? Error { get; }

    /// <summary>The job is done; <paramref name="result"/> is kept with it.</summary>
    public static JobOutcome Completed(JsonElement? result = null) => new(JobState.Completed, result, null);

    /// <summary>The job failed for good with <paramref name="error"/>.</summary>
    public static JobOutcome Failed(JobError error)
    {
        ArgumentNullException.ThrowIfNull(error);
        return new(JobState.Failed, null, error);
    }

    /// <summary>The job stopped on a cancel request.</summary>
    public static JobOutcome Cancelled { get; } = new(JobState.Cancelled, null, null);

    /// <summary>The job stopped on a pause request; its checkpoint is kept for <see cref="IJobStore.ResumeAsync"/>.</summary>
    public static JobOutcome Paused { get; } = new(JobState.Paused, null, null);

    /// <summary>
    /// The worker hands the job back unfinished (it is shutting down): queued again at once with its checkpoint,
    /// and the claim does not count against its attempts.
    /// </summary>
    public static JobOutcome Released { get; } = new(JobState.Queued, null, null);
}
