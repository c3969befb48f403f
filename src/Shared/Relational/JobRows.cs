using System.Data.Common;
using System.Text;
using System.Text.Json;
using Gateway.Core.Storage.Jobs;

namespace Gateway.Storage.Relational;

/// <summary>
/// Maps job and job-event rows to records, the same on both engines: JSON values are text columns (the
/// store never looks inside them), states are <see cref="JobRules.StateText"/>.
/// </summary>
internal static class JobRows
{
    /// <summary>The columns <see cref="ReadJob"/> and <see cref="ReadClaim"/> expect, in order.</summary>
    public const string JobColumns =
        "id, kind, state, payload, progress, checkpoint, result, error_code, error_detail, attempts, max_attempts, cancel_requested, pause_requested, "
        + "lease_owner, lease_expires_at, created_at, started_at, updated_at, finished_at, lease_token";

    /// <summary>The columns <see cref="ReadEvent"/> expects, in order.</summary>
    public const string EventColumns = "job_id, seq, type, data, at";

    public static Job ReadJob(DbDataReader reader, StoredRows.TimeReader readTime) => new(
        Id: reader.GetString(0),
        Kind: reader.GetString(1),
        State: JobRules.ParseState(reader.GetString(2)),
        Payload: ParseJson(reader.GetString(3)),
        Progress: OptionalJson(reader, 4),
        Checkpoint: OptionalJson(reader, 5),
        Result: OptionalJson(reader, 6),
        Error: reader.IsDBNull(7) ? null : new JobError(reader.GetString(7), reader.IsDBNull(8) ? string.Empty : reader.GetString(8)),
        Attempts: reader.GetInt32(9),
        MaxAttempts: reader.GetInt32(10),
        CancelRequested: reader.GetBoolean(11),
        PauseRequested: reader.GetBoolean(12),
        LeaseOwner: reader.IsDBNull(13) ? null : reader.GetString(13),
        LeaseExpiresAt: OptionalTime(reader, 14, readTime),
        CreatedAt: readTime(reader, 15),
        StartedAt: OptionalTime(reader, 16, readTime),
        UpdatedAt: readTime(reader, 17),
        FinishedAt: OptionalTime(reader, 18, readTime));

    /// <summary>A job just claimed, with the lease its owner now holds: the fencing token is the row's <c>lease_token</c>.</summary>
    public static JobClaim ReadClaim(DbDataReader reader, StoredRows.TimeReader readTime)
    {
        var job = ReadJob(reader, readTime);
        return new JobClaim(job, new JobLease(job.Id, job.LeaseOwner!, reader.GetInt64(19), job.LeaseExpiresAt!.Value));
    }

    public static JobEvent ReadEvent(DbDataReader reader, StoredRows.TimeReader readTime) => new(
        reader.GetString(0), reader.GetInt64(1), reader.GetString(2), ParseJson(reader.GetString(3)), readTime(reader, 4));

    /// <summary>The text a JSON value is stored as; <see langword="null"/> for none.</summary>
    public static string? JsonText(JsonElement? value) => value is { ValueKind: not JsonValueKind.Undefined } present ? present.GetRawText() : null;

    /// <summary>A small JSON object for an event's data, written by <paramref name="write"/> between its braces.</summary>
    public static string EventData(Action<Utf8JsonWriter> write)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            write(writer);
            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    private static JsonElement? OptionalJson(DbDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : ParseJson(reader.GetString(ordinal));

    private static DateTimeOffset? OptionalTime(DbDataReader reader, int ordinal, StoredRows.TimeReader readTime) =>
        reader.IsDBNull(ordinal) ? null : readTime(reader, ordinal);

    private static JsonElement ParseJson(string text)
    {
        using var document = JsonDocument.Parse(text);
        return document.RootElement.Clone();
    }
}
