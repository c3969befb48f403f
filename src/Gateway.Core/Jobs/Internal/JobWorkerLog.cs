using Microsoft.Extensions.Logging;

namespace Gateway.Core.Jobs.Internal;

/// <summary>What the job worker logs.</summary>
internal static partial class JobWorkerLog
{
    [LoggerMessage(Level = LogLevel.Information, Message = "Job worker '{Owner}' runs up to {Concurrency} jobs at once of the kinds {Kinds}.")]
    public static partial void Started(ILogger logger, string owner, int concurrency, string kinds);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Job {JobId} ({Kind}) claimed by '{Owner}', attempt {Attempt}.")]
    public static partial void Claimed(ILogger logger, string jobId, string kind, string owner, int attempt);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Job {JobId} ({Kind}) ended its claim: {Outcome}.")]
    public static partial void Ended(ILogger logger, string jobId, string kind, string outcome);

    [LoggerMessage(Level = LogLevel.Error, Message = "Job {JobId} ({Kind}) failed: its handler threw an unexpected exception; the job's error is job_failed.")]
    public static partial void HandlerFailed(ILogger logger, string jobId, string kind, Exception error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Job {JobId} ({Kind}) is no longer held by '{Owner}' (its lease expired and another worker took it, or it finished): this claim ends without writing.")]
    public static partial void LeaseLost(ILogger logger, string jobId, string kind, string owner);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Claiming jobs failed; the worker tries again in {PollInterval}.")]
    public static partial void ClaimFailed(ILogger logger, TimeSpan pollInterval, Exception error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A heartbeat of job {JobId} failed; the next one tries again before its lease runs out.")]
    public static partial void HeartbeatFailed(ILogger logger, string jobId, Exception error);

    [LoggerMessage(Level = LogLevel.Error, Message = "Ending job {JobId} as {Outcome} failed; its lease runs out and another claim takes it over.")]
    public static partial void FinishFailed(ILogger logger, string jobId, string outcome, Exception error);

    [LoggerMessage(Level = LogLevel.Information, Message = "Deleted {Count} jobs that finished before {Before:o}, with their events (Gateway:Jobs:Retention).")]
    public static partial void FinishedJobsDeleted(ILogger logger, int count, DateTimeOffset before);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Deleting finished jobs past their retention failed; the worker tries again in {Interval}.")]
    public static partial void RetentionFailed(ILogger logger, TimeSpan interval, Exception error);
}
