using System.Data.Common;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.Json;
using Gateway.Core.Errors;
using Gateway.Core.Storage.Conversations;
using Gateway.Core.Storage.Jobs;
using static Gateway.Storage.Relational.DbCommands;
using static Gateway.Storage.Relational.JobRows;

namespace Gateway.Storage.Relational;

/// <summary>
/// <see cref="IJobStore"/> on either engine: the SQL is the same but for how rows are locked
/// (<see cref="JobEngine"/>). Every change is one write transaction that updates the job row first,
/// which holds that row's lock until commit (SQLite: the database's single write lock; PostgreSQL: the
/// row lock), then appends its event with the job's next sequence number; so a job's events are numbered
/// in the order their transactions commit, without gaps. A claim reads the oldest claimable job under
/// <see cref="JobEngine.ClaimLock"/> (PostgreSQL: <c>FOR UPDATE SKIP LOCKED</c>, so racing replicas each
/// get another job and none waits) and updates it in the same transaction. Fencing is the
/// <c>lease_token</c>, incremented by every claim: a worker's write names the token it was granted and
/// changes nothing once another claim has moved it on. A job's attachments are inserted with it and
/// deleted by the transition that finishes it (completed, failed or cancelled).
/// </summary>
internal sealed class RelationalJobStore(IConnectionReads reads, IConnectionWrites writes, JobEngine engine, TimeProvider time) : IJobStore
{
    private const string Insert = """
        INSERT INTO jobs (id, kind, state, payload, attempts, max_attempts, cancel_requested, pause_requested, lease_token, event_seq, created_at, updated_at)
        VALUES (@id, @kind, 'queued', @payload, 0, @maxAttempts, FALSE, FALSE, 0, 1, @now, @now)
        """;

    private const string InsertAttachment = "INSERT INTO job_attachments (job_id, name, content) VALUES (@id, @name, @content)";

    private const string AttachmentContent = "SELECT content FROM job_attachments WHERE job_id = @id AND name = @name";

    private const string DeleteAttachments = "DELETE FROM job_attachments WHERE job_id = @id";

    private const string AppendEvent = """
        INSERT INTO job_events (job_id, seq, type, data, at) SELECT id, event_seq, @type, @data, @now FROM jobs WHERE id = @id
        """;

    private const string ById = $"SELECT {JobColumns} FROM jobs WHERE id = @id";

    private const string Events = $"SELECT {EventColumns} FROM job_events WHERE job_id = @id AND seq > @after ORDER BY seq LIMIT @take";

    private const string HeartbeatOnly = """
        UPDATE jobs SET lease_expires_at = @expires, updated_at = @now WHERE id = @id AND state = 'running' AND lease_token = @token
        RETURNING cancel_requested, pause_requested
        """;

    private const string HeartbeatWithProgress = """
        UPDATE jobs SET lease_expires_at = @expires, progress = @progress, event_seq = event_seq + 1, updated_at = @now
        WHERE id = @id AND state = 'running' AND lease_token = @token
        RETURNING cancel_requested, pause_requested
        """;

    // Events and attachments go with their job (ON DELETE CASCADE).
    private const string DeleteFinished = """
        DELETE FROM jobs WHERE id IN (
            SELECT id FROM jobs WHERE state IN ('completed', 'failed', 'cancelled') AND finished_at < @before ORDER BY id LIMIT @take)
        """;

    private const string Fenced = "id = @id AND state = 'running' AND lease_token = @token";

    private const string Anyhow = "id = @id";

    private const string ClearLease = "lease_owner = NULL, lease_expires_at = NULL, cancel_requested = FALSE, pause_requested = FALSE";

    private const string ToRunning =
        "state = 'running', attempts = attempts + 1, lease_owner = @owner, lease_token = lease_token + 1, lease_expires_at = @expires, "
        + "started_at = coalesce(started_at, @now)";

    private const string ToCompleted = $"state = 'completed', result = @result, finished_at = @now, {ClearLease}";

    private const string ToFailed = $"state = 'failed', error_code = @errorCode, error_detail = @errorDetail, finished_at = @now, {ClearLease}";

    private const string ToCancelled = $"state = 'cancelled', finished_at = @now, {ClearLease}";

    private const string ToPaused = $"state = 'paused', {ClearLease}";

    // A released claim does not count: the worker handed the job back, it did not die with it.
    private const string ToReleased = $"state = 'queued', attempts = attempts - 1, {ClearLease}";

    // A resumed job gets its attempts back: pausing is not failing.
    private const string ToResumed = $"state = 'queued', attempts = 0, {ClearLease}";

    private const string Empty = "{}";

    private readonly string _lockedById = $"{ById} {engine.LockRow}";

    /// <inheritdoc />
    public Task<Job> EnqueueAsync(NewJob job, CancellationToken cancellationToken = default)
    {
        JobRules.Validate(job);
        var payload = JsonText(job.Payload)!;
        return writes.WriteAsync(async (connection, transaction, ct) =>
        {
            var id = SortableId.Create(time);
            var now = engine.StoreTime(time.GetUtcNow());
            await ExecuteAsync(connection, transaction, Insert, ct,
                ("@id", id), ("@kind", job.Kind), ("@payload", payload), ("@maxAttempts", job.MaxAttempts), ("@now", now)).ConfigureAwait(false);
            foreach (var attachment in job.Attachments)
            {
                await ExecuteAsync(connection, transaction, InsertAttachment, ct,
                    ("@id", id), ("@name", attachment.Name), ("@content", Bytes(attachment.Content))).ConfigureAwait(false);
            }

            await AppendEventAsync(connection, transaction, id, JobEventTypes.Queued, Empty, now, ct).ConfigureAwait(false);
            return (await FindAsync(connection, transaction, ById, id, ct).ConfigureAwait(false))!;
        }, cancellationToken);
    }

    /// <inheritdoc />
    public Task<Stream?> OpenAttachmentAsync(string jobId, string name, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(jobId);
        ArgumentNullException.ThrowIfNull(name);
        return reads.ReadAsync<Stream?>(async (connection, ct) =>
        {
            var rows = await DbCommands.ListAsync(connection, null, AttachmentContent, static row => row.GetFieldValue<byte[]>(0), ct,
                ("@id", jobId), ("@name", name)).ConfigureAwait(false);
            return rows.Count == 0 ? null : new MemoryStream(rows[0], writable: false);
        }, cancellationToken);
    }

    /// <inheritdoc />
    public Task<Job?> GetAsync(string jobId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(jobId);
        return reads.ReadAsync((connection, ct) => FindAsync(connection, null, ById, jobId, ct), cancellationToken);
    }

    /// <inheritdoc />
    public Task<Page<Job>> ListAsync(JobQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        ConversationStoreRules.CheckLimit(query.Limit);
        var conditions = new List<string>();
        var parameters = new List<(string Name, object? Value)> { ("@take", query.Limit + 1) };
        if (query.Cursor is { } cursor)
        {
            conditions.Add("id < @before");
            parameters.Add(("@before", StoreCursor.ReadJob(cursor)));
        }

        if (query.Kind is { } kind)
        {
            conditions.Add("kind = @kind");
            parameters.Add(("@kind", kind));
        }

        if (query.State is { } state)
        {
            conditions.Add("state = @state");
            parameters.Add(("@state", JobRules.StateText(state)));
        }

        var where = conditions.Count == 0 ? string.Empty : "WHERE " + string.Join(" AND ", conditions);
        var sql = $"SELECT {JobColumns} FROM jobs {where} ORDER BY id DESC LIMIT @take";
        return reads.ReadAsync(async (connection, ct) =>
        {
            var rows = await DbCommands.ListAsync(connection, null, sql, Read, ct, [.. parameters]).ConfigureAwait(false);
            return StorePaging.ToPage(rows, query.Limit, job => StoreCursor.ForJob(job.Id));
        }, cancellationToken);
    }

    /// <inheritdoc />
    public Task<JobClaim?> TryClaimAsync(IReadOnlyCollection<string> kinds, string owner, TimeSpan leaseDuration, CancellationToken cancellationToken = default)
    {
        JobRules.ValidateClaim(kinds, owner, leaseDuration);
        var distinct = kinds.Distinct(StringComparer.Ordinal).ToArray();
        var kindNames = string.Join(", ", distinct.Select((_, i) => "@k" + i.ToString(CultureInfo.InvariantCulture)));
        var candidateSql = $"""
            SELECT {JobColumns} FROM jobs
            WHERE state IN ('queued', 'running') AND (state = 'queued' OR lease_expires_at < @now) AND kind IN ({kindNames})
            ORDER BY id LIMIT 1 {engine.ClaimLock}
            """;
        return writes.WriteAsync(async (connection, transaction, ct) =>
        {
            var clock = time.GetUtcNow();
            var now = engine.StoreTime(clock);
            var parameters = new List<(string Name, object? Value)> { ("@now", now) };
            parameters.AddRange(distinct.Select((kind, i) => ("@k" + i.ToString(CultureInfo.InvariantCulture), (object?)kind)));
            while (true)
            {
                var candidates = await DbCommands.ListAsync(connection, transaction, candidateSql, Read, ct, [.. parameters]).ConfigureAwait(false);
                if (candidates.Count == 0)
                {
                    return null;
                }

                var candidate = candidates[0];
                var takeover = candidate.State == JobState.Running;
                if (takeover && await RetireExpiredAsync(connection, transaction, candidate, now, ct).ConfigureAwait(false))
                {
                    continue;
                }

                var started = EventData(writer =>
                {
                    writer.WriteNumber("attempt", candidate.Attempts + 1);
                    writer.WriteString("owner", owner);
                    writer.WriteBoolean("takeover", takeover);
                });
                return await TransitionAsync(connection, transaction, ToRunning, Anyhow, row => ReadClaim(row, engine.ReadTime), candidate.Id,
                    JobEventTypes.Started, started, now, ct, ("@owner", owner), ("@expires", engine.StoreTime(clock + leaseDuration))).ConfigureAwait(false);
            }
        }, cancellationToken);
    }

    /// <inheritdoc />
    public Task<JobSignal> HeartbeatAsync(JobLease lease, JsonElement? progress, TimeSpan leaseDuration, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(lease);
        JobRules.ValidateLease(leaseDuration);
        var progressText = JsonText(progress);
        return writes.WriteAsync(async (connection, transaction, ct) =>
        {
            var clock = time.GetUtcNow();
            var now = engine.StoreTime(clock);
            (string Name, object? Value)[] parameters =
                [("@id", lease.JobId), ("@token", lease.Token), ("@expires", engine.StoreTime(clock + leaseDuration)), ("@now", now)];
            var flags = await DbCommands.ListAsync(connection, transaction, progressText is null ? HeartbeatOnly : HeartbeatWithProgress,
                static row => (Cancel: row.GetBoolean(0), Pause: row.GetBoolean(1)), ct,
                progressText is null ? parameters : [.. parameters, ("@progress", progressText)]).ConfigureAwait(false);
            if (flags.Count == 0)
            {
                return JobSignal.LeaseLost;
            }

            if (progressText is not null)
            {
                await AppendEventAsync(connection, transaction, lease.JobId, JobEventTypes.Progress, progressText, now, ct).ConfigureAwait(false);
            }

            return flags[0].Cancel ? JobSignal.CancelRequested : flags[0].Pause ? JobSignal.PauseRequested : JobSignal.Continue;
        }, cancellationToken);
    }

    /// <inheritdoc />
    public Task SaveCheckpointAsync(JobLease lease, JsonElement checkpoint, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(lease);
        var text = JsonText(checkpoint) ?? throw GatewayException.InvalidField("checkpoint", "expected a JSON value.");
        return writes.WriteAsync(async (connection, transaction, ct) =>
            await TransitionAsync(connection, transaction, "checkpoint = @checkpoint", Fenced, Read, lease.JobId, JobEventTypes.Checkpoint, Empty,
                engine.StoreTime(time.GetUtcNow()), ct, ("@token", lease.Token), ("@checkpoint", text)).ConfigureAwait(false)
                ?? throw JobRules.LeaseLost(lease),
            cancellationToken);
    }

    /// <inheritdoc />
    public Task<Job> FinishAsync(JobLease lease, JobOutcome outcome, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(lease);
        ArgumentNullException.ThrowIfNull(outcome);
        if (outcome.Error is { } failure)
        {
            JobRules.Validate(failure);
        }

        var result = JsonText(outcome.Result);
        (string Name, object? Value)[] none = [];
        (string Name, object? Value)[] completed = [("@result", result)];
        (string Name, object? Value)[] failed = outcome.Error is { } error ? [("@errorCode", error.ErrorCode), ("@errorDetail", error.Detail)] : none;
        var (set, type, data, extra) = outcome.State switch
        {
            JobState.Completed => (ToCompleted, JobEventTypes.Completed, result ?? Empty, completed),
            JobState.Failed => (ToFailed, JobEventTypes.Failed, FailedData(outcome.Error!), failed),
            JobState.Cancelled => (ToCancelled, JobEventTypes.Cancelled, Empty, none),
            JobState.Paused => (ToPaused, JobEventTypes.Paused, Empty, none),
            _ => (ToReleased, JobEventTypes.Queued, EventData(static writer => writer.WriteString("reason", "released")), none),
        };
        return writes.WriteAsync(async (connection, transaction, ct) =>
            await TransitionAsync(connection, transaction, set, Fenced, Read, lease.JobId, type, data, engine.StoreTime(time.GetUtcNow()), ct,
                [("@token", lease.Token), .. extra]).ConfigureAwait(false)
                ?? throw JobRules.LeaseLost(lease),
            cancellationToken);
    }

    /// <inheritdoc />
    public Task<Job> RequestCancelAsync(string jobId, CancellationToken cancellationToken = default) =>
        ChangeAsync(jobId, job => job.State switch
        {
            JobState.Queued or JobState.Paused => (ToCancelled, JobEventTypes.Cancelled),
            JobState.Running when !job.CancelRequested => ("cancel_requested = TRUE", JobEventTypes.CancelRequested),
            JobState.Running => null,
            _ => throw JobRules.StateConflict(job, "cancel"),
        }, cancellationToken);

    /// <inheritdoc />
    public Task<Job> RequestPauseAsync(string jobId, CancellationToken cancellationToken = default) =>
        ChangeAsync(jobId, job => job.State switch
        {
            JobState.Queued => (ToPaused, JobEventTypes.Paused),
            JobState.Running when !job.PauseRequested => ("pause_requested = TRUE", JobEventTypes.PauseRequested),
            JobState.Running or JobState.Paused => null,
            _ => throw JobRules.StateConflict(job, "pause"),
        }, cancellationToken);

    /// <inheritdoc />
    public Task<Job> ResumeAsync(string jobId, CancellationToken cancellationToken = default) =>
        ChangeAsync(jobId, job => job.State switch
        {
            JobState.Paused => (ToResumed, JobEventTypes.Queued),
            JobState.Running when job.PauseRequested => ("pause_requested = FALSE", JobEventTypes.PauseWithdrawn),
            JobState.Running or JobState.Queued => null,
            _ => throw JobRules.StateConflict(job, "resume"),
        }, cancellationToken);

    /// <inheritdoc />
    public Task<IReadOnlyList<JobEvent>> ReadEventsAsync(string jobId, long afterSequence, int limit, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(jobId);
        ConversationStoreRules.CheckLimit(limit);
        if (afterSequence < 0)
        {
            throw GatewayException.InvalidField("afterSequence", $"expected 0 or more, got {afterSequence}.");
        }

        return reads.ReadAsync<IReadOnlyList<JobEvent>>(
            async (connection, ct) => await DbCommands.ListAsync(connection, null, Events, row => ReadEvent(row, engine.ReadTime), ct,
                ("@id", jobId), ("@after", afterSequence), ("@take", limit)).ConfigureAwait(false),
            cancellationToken);
    }

    /// <inheritdoc />
    public Task<int> DeleteFinishedBeforeAsync(DateTimeOffset before, int limit, CancellationToken cancellationToken = default)
    {
        if (limit is < 1 or > JobRules.MaxDeleteBatch)
        {
            throw GatewayException.InvalidField("limit", $"expected 1 to {JobRules.MaxDeleteBatch}, got {limit}.");
        }

        return writes.WriteAsync(
            (connection, transaction, ct) => ExecuteAsync(connection, transaction, DeleteFinished, ct, ("@before", engine.StoreTime(before)), ("@take", limit)),
            cancellationToken);
    }

    // An expired job that must not run again: cancelled or paused as asked, or failed when its attempts are used up. False when it may be taken over.
    private async Task<bool> RetireExpiredAsync(DbConnection connection, DbTransaction transaction, Job job, object now, CancellationToken cancellationToken)
    {
        var detail = $"The lease of '{job.LeaseOwner}' expired with all {job.MaxAttempts} attempts used: its workers stopped without finishing the job.";
        var (set, type, data) = job switch
        {
            { CancelRequested: true } => (ToCancelled, JobEventTypes.Cancelled, Empty),
            { PauseRequested: true } => (ToPaused, JobEventTypes.Paused, Empty),
            _ when job.Attempts >= job.MaxAttempts => (ToFailed, JobEventTypes.Failed, FailedData(new JobError(GatewayErrorCodes.JobAbandoned, detail))),
            _ => (null, null, null),
        };
        if (set is null)
        {
            return false;
        }

        await TransitionAsync(connection, transaction, set, Anyhow, Read, job.Id, type!, data!, now, cancellationToken,
            set == ToFailed ? [("@errorCode", GatewayErrorCodes.JobAbandoned), ("@errorDetail", detail)] : []).ConfigureAwait(false);
        return true;
    }

    // Locks the job, asks `decide` what to change (null: nothing), and makes that change with its event.
    private Task<Job> ChangeAsync(string jobId, Func<Job, (string Set, string Event)?> decide, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(jobId);
        return writes.WriteAsync(async (connection, transaction, ct) =>
        {
            var job = await FindAsync(connection, transaction, _lockedById, jobId, ct).ConfigureAwait(false) ?? throw JobRules.JobNotFound(jobId);
            if (decide(job) is not { } change)
            {
                return job;
            }

            var data = change.Event == JobEventTypes.Queued ? EventData(static writer => writer.WriteString("reason", "resumed")) : Empty;
            return (await TransitionAsync(connection, transaction, change.Set, Anyhow, Read, jobId, change.Event, data, engine.StoreTime(time.GetUtcNow()), ct)
                .ConfigureAwait(false))!;
        }, cancellationToken);
    }

    // Updates the job row (`set` where `where`), moving its event sequence on, and appends the event; the updated row, or null when `where` matched none.
    private async Task<T?> TransitionAsync<T>(
        DbConnection connection, DbTransaction transaction, string set, string where, Func<DbDataReader, T> read, string jobId,
        string eventType, string eventData, object now, CancellationToken cancellationToken, params (string Name, object? Value)[] parameters)
        where T : class
    {
        var sql = $"UPDATE jobs SET {set}, event_seq = event_seq + 1, updated_at = @now WHERE {where} RETURNING {JobColumns}";
        var rows = await DbCommands.ListAsync(connection, transaction, sql, read, cancellationToken,
            [("@id", jobId), ("@now", now), .. parameters]).ConfigureAwait(false);
        if (rows.Count == 0)
        {
            return null;
        }

        if (set is ToCompleted or ToFailed or ToCancelled)
        {
            await ExecuteAsync(connection, transaction, DeleteAttachments, cancellationToken, ("@id", jobId)).ConfigureAwait(false);
        }

        await AppendEventAsync(connection, transaction, jobId, eventType, eventData, now, cancellationToken).ConfigureAwait(false);
        return rows[0];
    }

    private static Task<int> AppendEventAsync(
        DbConnection connection, DbTransaction transaction, string jobId, string type, string data, object now, CancellationToken cancellationToken) =>
        ExecuteAsync(connection, transaction, AppendEvent, cancellationToken, ("@id", jobId), ("@type", type), ("@data", data), ("@now", now));

    private async Task<Job?> FindAsync(DbConnection connection, DbTransaction? transaction, string sql, string jobId, CancellationToken cancellationToken)
    {
        var rows = await DbCommands.ListAsync(connection, transaction, sql, Read, cancellationToken, ("@id", jobId)).ConfigureAwait(false);
        return rows.Count == 0 ? null : rows[0];
    }

    private Job Read(DbDataReader reader) => ReadJob(reader, engine.ReadTime);

    // Both providers take a byte[] for a BLOB/bytea parameter; an attachment made from a whole array is sent without a copy.
    private static byte[] Bytes(ReadOnlyMemory<byte> content) =>
        MemoryMarshal.TryGetArray(content, out var segment) && segment.Offset == 0 && segment.Count == segment.Array!.Length ? segment.Array : content.ToArray();

    private static string FailedData(JobError error) => EventData(writer =>
    {
        writer.WriteString("errorCode", error.ErrorCode);
        writer.WriteString("detail", error.Detail);
    });
}
