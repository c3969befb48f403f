using System.Text.Json;

namespace Gateway.Core.Storage.Jobs;

/// <summary>What a caller supplies to queue a job; <see cref="JobRules.Validate(NewJob)"/> says what each field may be.</summary>
/// <param name="Kind">What runs it: the worker's handler for this kind (<c>ingestion</c>, <c>flow_run</c>, <c>training.lora</c>…).</param>
/// <param name="Payload">What the handler needs to start, any JSON value; the store keeps it verbatim.</param>
/// <param name="MaxAttempts">
/// How many claims the job may use up (1 to <see cref="JobRules.MaxAttemptsLimit"/>): a worker that dies
/// holding it costs one; when a lease expires with none left, the job fails with
/// <see cref="Errors.GatewayErrorCodes.JobAbandoned"/> instead of being taken over.
/// </param>
public sealed record NewJob(string Kind, JsonElement Payload, int MaxAttempts = JobRules.DefaultMaxAttempts)
{
    /// <summary>
    /// Files staged with the job, written in the same transaction (all or none) and readable with
    /// <see cref="IJobStore.OpenAttachmentAsync"/> until the job is completed, failed or cancelled.
    /// </summary>
    public IReadOnlyList<JobAttachment> Attachments { get; init; } = [];
}
