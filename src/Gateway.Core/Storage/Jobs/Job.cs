using System.Text.Json;

namespace Gateway.Core.Storage.Jobs;

/// <summary>A durable job as stored: what it is, where it is, and who holds it.</summary>
/// <param name="Id">The sortable id (UUIDv7 text): ordering ids orders jobs by when they were queued.</param>
/// <param name="Kind">What runs it.</param>
/// <param name="State">Where it is in its life.</param>
/// <param name="Payload">What it was queued with.</param>
/// <param name="Progress">The latest progress its worker reported, if any.</param>
/// <param name="Checkpoint">The latest checkpoint its worker saved, if any: where a new claim resumes from.</param>
/// <param name="Result">What it completed with, if it completed with something.</param>
/// <param name="Error">Why it failed, when <paramref name="State"/> is <see cref="JobState.Failed"/>.</param>
/// <param name="Attempts">How many claims it has used since it was queued or last resumed.</param>
/// <param name="MaxAttempts">How many it may use.</param>
/// <param name="CancelRequested">A running job was asked to stop for good; its worker sees it at its next heartbeat.</param>
/// <param name="PauseRequested">A running job was asked to pause; its worker sees it at its next heartbeat.</param>
/// <param name="LeaseOwner">The worker that holds it while it is running.</param>
/// <param name="LeaseExpiresAt">When that worker's lease runs out unless a heartbeat renews it.</param>
/// <param name="CreatedAt">When it was queued.</param>
/// <param name="StartedAt">When it was first claimed.</param>
/// <param name="UpdatedAt">When its row last changed.</param>
/// <param name="FinishedAt">When it reached a final state.</param>
public sealed record Job(
    string Id,
    string Kind,
    JobState State,
    JsonElement Payload,
    JsonElement? Progress,
    JsonElement? Checkpoint,
    JsonElement? Result,
    JobError? Error,
    int Attempts,
    int MaxAttempts,
    bool CancelRequested,
    bool PauseRequested,
    string? LeaseOwner,
    DateTimeOffset? LeaseExpiresAt,
    DateTimeOffset CreatedAt,
    DateTimeOffset? StartedAt,
    DateTimeOffset UpdatedAt,
    DateTimeOffset? FinishedAt)
{
    /// <summary>Whether the job is completed, failed or cancelled: nothing changes it any more.</summary>
    public bool IsFinished => State is JobState.Completed or JobState.Failed or JobState.Cancelled;
}
