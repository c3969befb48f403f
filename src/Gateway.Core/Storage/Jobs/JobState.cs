namespace Gateway.Core.Storage.Jobs;

/// <summary>
/// Where a job is in its life. <see cref="Queued"/> and <see cref="Paused"/> wait, <see cref="Running"/>
/// is held by a worker's lease; <see cref="Completed"/>, <see cref="Failed"/> and <see cref="Cancelled"/>
/// are final.
/// </summary>
public enum JobState
{
    /// <summary>Waiting for a worker to claim it.</summary>
    Queued,

    /// <summary>Claimed by a worker, whose lease is renewed by heartbeats.</summary>
    Running,

    /// <summary>Stopped on request with its checkpoint kept; <see cref="IJobStore.ResumeAsync"/> queues it again.</summary>
    Paused,

    /// <summary>Finished by its worker, with its result.</summary>
    Completed,

    /// <summary>Finished with an error: its worker's, or <see cref="Errors.GatewayErrorCodes.JobAbandoned"/>.</summary>
    Failed,

    /// <summary>Stopped for good on request.</summary>
    Cancelled,
}
