namespace Gateway.Core.Storage.Jobs;

/// <summary>A job a worker has just claimed, and the lease it now holds.</summary>
/// <param name="Job">The job as claimed: running, its attempts counted, its checkpoint (if any) where to resume.</param>
/// <param name="Lease">The lease every later write of the worker hands back.</param>
public sealed record JobClaim(Job Job, JobLease Lease);
