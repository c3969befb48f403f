namespace Gateway.Core.Storage.Jobs;

/// <summary>
/// A worker's hold on a running job. Every write the worker makes (heartbeat, checkpoint, finish) hands
/// it back and is fenced by <paramref name="Token"/>: each claim of the job increments it, so a worker
/// whose lease was taken over after it expired can no longer change the job (<see cref="Errors.GatewayErrorCodes.JobLeaseLost"/>).
/// </summary>
/// <param name="JobId">The job held.</param>
/// <param name="Owner">The worker that claimed it.</param>
/// <param name="Token">The job's claim count when this lease was granted: the fencing token.</param>
/// <param name="ExpiresAt">When the lease ran out as granted; heartbeats move the stored expiry on.</param>
public sealed record JobLease(string JobId, string Owner, long Token, DateTimeOffset ExpiresAt);
