using System.Text.Json;

namespace Gateway.Core.Storage.Jobs;

/// <summary>
/// One entry of a job's event log, appended in the same transaction as the change it tells of, so a
/// reader on any replica sees every change, in order, with nothing missing.
/// </summary>
/// <param name="JobId">The job.</param>
/// <param name="Sequence">1, 2, 3… per job, without gaps: read on with <see cref="IJobStore.ReadEventsAsync"/> after the last one seen.</param>
/// <param name="Type">One of <see cref="JobEventTypes"/>.</param>
/// <param name="Data">What the event carries (for <c>progress</c>, the progress reported); <c>{}</c> when nothing.</param>
/// <param name="At">When it happened.</param>
public sealed record JobEvent(string JobId, long Sequence, string Type, JsonElement Data, DateTimeOffset At);
