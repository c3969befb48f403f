using Gateway.Core.Errors;
using Gateway.Core.Storage.Profiles;

namespace Gateway.Core.Storage.Jobs;

/// <summary>What jobs, claims and leases may hold, checked the same way by every store, and the job errors.</summary>
public static class JobRules
{
    /// <summary>The attempts a job gets when its caller names none.</summary>
    public const int DefaultMaxAttempts = 3;

    /// <summary>The most attempts a job may be given.</summary>
    public const int MaxAttemptsLimit = 100;

    /// <summary>The longest job kind and lease owner, in characters.</summary>
    public const int MaxNameLength = 200;

    /// <summary>The most finished jobs one <see cref="IJobStore.DeleteFinishedBeforeAsync"/> deletes.</summary>
    public const int MaxDeleteBatch = 10_000;

    /// <summary>The longest lease a claim or heartbeat may ask for.</summary>
    public static readonly TimeSpan MaxLeaseDuration = TimeSpan.FromDays(1);

    /// <summary>Checks every field of <paramref name="job"/>.</summary>
    /// <exception cref="GatewayException"><see cref="GatewayErrorCodes.InvalidRequest"/> naming the first bad field.</exception>
    public static void Validate(NewJob job)
    {
        ArgumentNullException.ThrowIfNull(job);
        ValidateName(job.Kind, "kind");
        if (job.Payload.ValueKind == System.Text.Json.JsonValueKind.Undefined)
        {
            throw GatewayException.InvalidField("payload", "expected a JSON value.");
        }

        if (job.MaxAttempts is < 1 or > MaxAttemptsLimit)
        {
            throw GatewayException.InvalidField("maxAttempts", $"expected 1 to {MaxAttemptsLimit}, got {job.MaxAttempts}.");
        }

        ArgumentNullException.ThrowIfNull(job.Attachments);
        var names = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < job.Attachments.Count; i++)
        {
            var field = $"attachments[{i}].name";
            ValidateName(job.Attachments[i].Name, field);
            if (!names.Add(job.Attachments[i].Name))
            {
                throw GatewayException.InvalidField(field, $"'{job.Attachments[i].Name}' is already the name of another attachment of this job.");
            }
        }
    }

    /// <summary>Checks a job's error: a code of 1 to <see cref="MaxNameLength"/> characters and a detail of storable text.</summary>
    /// <exception cref="GatewayException"><see cref="GatewayErrorCodes.InvalidRequest"/> naming <c>error.errorCode</c> or <c>error.detail</c>.</exception>
    public static void Validate(JobError error)
    {
        ArgumentNullException.ThrowIfNull(error);
        ValidateName(error.ErrorCode, "error.errorCode");
        if (error.Detail is null)
        {
            throw GatewayException.InvalidField("error.detail", "expected a sentence saying why the job failed.");
        }

        ModelProfileRules.CheckStorableText(error.Detail, "error.detail");
    }

    /// <summary>Checks a claim: at least one kind, each a valid name, an owner, and a lease of more than zero and at most <see cref="MaxLeaseDuration"/>.</summary>
    /// <exception cref="GatewayException"><see cref="GatewayErrorCodes.InvalidRequest"/> naming the first bad argument.</exception>
    public static void ValidateClaim(IReadOnlyCollection<string> kinds, string owner, TimeSpan leaseDuration)
    {
        ArgumentNullException.ThrowIfNull(kinds);
        if (kinds.Count == 0)
        {
            throw GatewayException.InvalidField("kinds", "expected at least one job kind.");
        }

        foreach (var kind in kinds)
        {
            ValidateName(kind, "kinds");
        }

        ValidateName(owner, "owner");
        ValidateLease(leaseDuration);
    }

    /// <summary>Checks a lease duration: more than zero and at most <see cref="MaxLeaseDuration"/>.</summary>
    /// <exception cref="GatewayException"><see cref="GatewayErrorCodes.InvalidRequest"/> naming <c>leaseDuration</c>.</exception>
    public static void ValidateLease(TimeSpan leaseDuration)
    {
        if (leaseDuration <= TimeSpan.Zero || leaseDuration > MaxLeaseDuration)
        {
            throw GatewayException.InvalidField("leaseDuration", $"expected more than zero and at most {MaxLeaseDuration}, got {leaseDuration}.");
        }
    }

    /// <summary>Checks a job kind or lease owner: 1 to <see cref="MaxNameLength"/> characters, not only spaces, no control characters.</summary>
    /// <exception cref="GatewayException"><see cref="GatewayErrorCodes.InvalidRequest"/> naming <paramref name="field"/>.</exception>
    public static void ValidateName(string? name, string field)
    {
        if (string.IsNullOrWhiteSpace(name) || name.Length > MaxNameLength || name.Any(char.IsControl))
        {
            throw GatewayException.InvalidField(field, $"expected 1 to {MaxNameLength} characters, not only spaces, with no control characters.");
        }

        ModelProfileRules.CheckStorableText(name, field);
    }

    /// <summary>How a state is stored and shown: <c>queued</c>, <c>running</c>, <c>paused</c>, <c>completed</c>, <c>failed</c>, <c>cancelled</c>.</summary>
    public static string StateText(JobState state) => state switch
    {
        JobState.Queued => "queued",
        JobState.Running => "running",
        JobState.Paused => "paused",
        JobState.Completed => "completed",
        JobState.Failed => "failed",
        JobState.Cancelled => "cancelled",
        _ => throw new ArgumentOutOfRangeException(nameof(state), state, "Not a job state."),
    };

    /// <summary>The state <paramref name="text"/> names (<see cref="StateText"/>).</summary>
    public static JobState ParseState(string text) => text switch
    {
        "queued" => JobState.Queued,
        "running" => JobState.Running,
        "paused" => JobState.Paused,
        "completed" => JobState.Completed,
        "failed" => JobState.Failed,
        "cancelled" => JobState.Cancelled,
        _ => throw new FormatException($"'{text}' is not a stored job state."),
    };

    /// <summary>The 404 for a job id nothing is stored under.</summary>
    public static GatewayException JobNotFound(string jobId) => new(
        GatewayErrorKind.NotFound,
        GatewayErrorCodes.JobNotFound,
        $"No job has the id '{jobId}'.",
        new Dictionary<string, object?> { ["jobId"] = jobId });

    /// <summary>The 409 for a request the job's state does not allow; <paramref name="request"/> says what was asked (<c>cancel</c>, <c>pause</c>, <c>resume</c>).</summary>
    public static GatewayException StateConflict(Job job, string request)
    {
        ArgumentNullException.ThrowIfNull(job);
        var state = StateText(job.State);
        return new(
            GatewayErrorKind.Conflict,
            GatewayErrorCodes.JobStateConflict,
            $"Job '{job.Id}' is {state}: a {state} job cannot be asked to {request}.",
            new Dictionary<string, object?> { ["jobId"] = job.Id, ["state"] = state });
    }

    /// <summary>The 409 for a worker's write with a lease that no longer holds the job.</summary>
    public static GatewayException LeaseLost(JobLease lease)
    {
        ArgumentNullException.ThrowIfNull(lease);
        return new(
            GatewayErrorKind.Conflict,
            GatewayErrorCodes.JobLeaseLost,
            $"Job '{lease.JobId}' is no longer held by '{lease.Owner}' (lease {lease.Token}): its lease expired and another worker claimed it, or it finished.",
            new Dictionary<string, object?> { ["jobId"] = lease.JobId, ["owner"] = lease.Owner });
    }
}
