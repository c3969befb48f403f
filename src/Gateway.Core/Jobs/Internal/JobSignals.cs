namespace Gateway.Core.Jobs.Internal;

/// <summary>What this process's <see cref="JobQueue"/> and <see cref="JobWorker"/> tell each other: a job was queued here, a job ran to an end here.</summary>
internal sealed class JobSignals
{
    /// <summary>Fired by <see cref="JobQueue.EnqueueAsync"/>: the worker claims at once instead of at its next poll.</summary>
    public JobPulse Queued { get; } = new();

    /// <summary>Fired by the worker when it finished, paused or released a job: <see cref="JobQueue.WaitAsync"/> looks at once.</summary>
    public JobPulse Stopped { get; } = new();
}
