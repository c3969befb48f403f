namespace Gateway.Core.Storage.Jobs;

/// <summary>The types of <see cref="JobEvent"/>, and what each one's data holds.</summary>
public static class JobEventTypes
{
    /// <summary>Queued: by enqueue (<c>{}</c>), by resume (<c>{"reason":"resumed"}</c>) or by a worker releasing it (<c>{"reason":"released"}</c>).</summary>
    public const string Queued = "queued";

    /// <summary>Claimed by a worker: <c>{"attempt":n,"owner":"…","takeover":bool}</c> (takeover: the previous lease had expired).</summary>
    public const string Started = "started";

    /// <summary>A heartbeat reported progress: the progress itself.</summary>
    public const string Progress = "progress";

    /// <summary>The worker saved a checkpoint (<c>{}</c>; the checkpoint is on the job).</summary>
    public const string Checkpoint = "checkpoint";

    /// <summary>A running job was asked to pause (<c>{}</c>).</summary>
    public const string PauseRequested = "pause_requested";

    /// <summary>A running job's pause request was withdrawn by a resume before its worker honoured it (<c>{}</c>).</summary>
    public const string PauseWithdrawn = "pause_withdrawn";

    /// <summary>Paused (<c>{}</c>).</summary>
    public const string Paused = "paused";

    /// <summary>A running job was asked to stop (<c>{}</c>).</summary>
    public const string CancelRequested = "cancel_requested";

    /// <summary>Completed: its result, or <c>{}</c>.</summary>
    public const string Completed = "completed";

    /// <summary>Failed: <c>{"errorCode":"…","detail":"…"}</c>.</summary>
    public const string Failed = "failed";

    /// <summary>Cancelled (<c>{}</c>).</summary>
    public const string Cancelled = "cancelled";
}
