using Gateway.Core.Configuration;

namespace Gateway.Core.Jobs.Internal;

/// <summary>The flat environment variables of <see cref="JobWorkerOptions"/> (see <c>.env.example</c>) and the keys they stand for.</summary>
internal static class JobEnvironmentVariables
{
    /// <summary>The most jobs run at once.</summary>
    public const string Concurrency = "GATEWAY_JOBS_CONCURRENCY";

    /// <summary>How long a claim or heartbeat holds a job.</summary>
    public const string LeaseDuration = "GATEWAY_JOBS_LEASE_DURATION";

    /// <summary>How often a running job's lease is renewed.</summary>
    public const string HeartbeatInterval = "GATEWAY_JOBS_HEARTBEAT_INTERVAL";

    /// <summary>How often an idle worker looks for jobs.</summary>
    public const string PollInterval = "GATEWAY_JOBS_POLL_INTERVAL";

    /// <summary>How long finished jobs are kept.</summary>
    public const string Retention = "GATEWAY_JOBS_RETENTION";

    /// <summary>The job variables, mapped onto the <c>Gateway:Jobs</c> section.</summary>
    public static GatewayEnvironmentMap Map { get; } = new GatewayEnvironmentMap()
        .Number(Concurrency, Key(nameof(JobWorkerOptions.Concurrency)))
        .Text(LeaseDuration, Key(nameof(JobWorkerOptions.LeaseDuration)))
        .Text(HeartbeatInterval, Key(nameof(JobWorkerOptions.HeartbeatInterval)))
        .Text(PollInterval, Key(nameof(JobWorkerOptions.PollInterval)))
        .Text(Retention, Key(nameof(JobWorkerOptions.Retention)));

    private static string Key(string property) => $"{JobWorkerOptions.SectionName}:{property}";
}
