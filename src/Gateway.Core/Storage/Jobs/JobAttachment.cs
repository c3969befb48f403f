namespace Gateway.Core.Storage.Jobs;

/// <summary>
/// A file staged with a job when it is queued (an upload to ingest), stored in the job's database in the
/// same transaction as the job, so any replica that claims the job reads it, after a restart too; it is
/// deleted when the job reaches a final state.
/// </summary>
/// <param name="Name">Its key within the job (<see cref="JobRules.ValidateName"/>), unique per job; the handler opens it by this name.</param>
/// <param name="Content">Its bytes.</param>
public sealed record JobAttachment(string Name, ReadOnlyMemory<byte> Content);
