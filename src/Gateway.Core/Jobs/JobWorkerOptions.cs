namespace Gateway.Core.Jobs;

/// <summary>
/// How this process's job worker claims and runs jobs. Bound from the <c>Gateway:Jobs</c> configuration
/// section, then the flat variables <c>GATEWAY_JOBS_*</c>, which win; validated at start-up. Durations are
/// written <c>hh:mm:ss</c> (<c>00:00:30</c>) or <c>d.hh:mm:ss</c> (<c>7.00:00:00</c>).
/// </summary>
public sealed class JobWorkerOptions
{
    /// <summary>The configuration section the options bind from.</summary>
    public const string SectionName = "Gateway:Jobs";

    /// <summary>The most jobs this process runs at once (<c>GATEWAY_JOBS_CONCURRENCY</c>; 1 to 256, default 2).</summary>
    public int Concurrency { get; set; } = 2;

    /// <summary>
    /// How long a claim or heartbeat holds a job (<c>GATEWAY_JOBS_LEASE_DURATION</c>; default 30 s, at most a day):
    /// when this process dies, another takes its jobs over this long after its last heartbeat.
    /// </summary>
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How often a running job's lease is renewed and its latest progress stored (<c>GATEWAY_JOBS_HEARTBEAT_INTERVAL</c>;
    /// default 1 s, at most half of <see cref="LeaseDuration"/>); also how soon a cancel or pause request is seen.
    /// </summary>
    public TimeSpan HeartbeatInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// How often an idle worker looks for jobs queued by other processes (<c>GATEWAY_JOBS_POLL_INTERVAL</c>;
    /// default 1 s, at most 5 minutes); jobs queued by this process wake it at once.
    /// </summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// How long finished jobs (completed, failed, cancelled, with their events) are kept before a worker deletes
    /// them, which it looks for when it starts and every hour (<c>GATEWAY_JOBS_RETENTION</c>; default 7 days,
    /// at most 36,500; <see cref="TimeSpan.Zero"/> keeps them forever).
    /// </summary>
    public TimeSpan Retention { get; set; } = TimeSpan.FromDays(7);
}
