namespace Gateway.Core.Storage.Jobs;

/// <summary>What a heartbeat tells the worker that sent it.</summary>
public enum JobSignal
{
    /// <summary>The lease is renewed; carry on.</summary>
    Continue,

    /// <summary>The lease is renewed and the job was asked to pause: save a checkpoint and finish it as <see cref="JobOutcome.Paused"/>.</summary>
    PauseRequested,

    /// <summary>The lease is renewed and the job was asked to stop: finish it as <see cref="JobOutcome.Cancelled"/>. Wins over a pause.</summary>
    CancelRequested,

    /// <summary>The worker no longer holds the job (its lease expired and another worker took it, or it was finished): stop without writing.</summary>
    LeaseLost,
}
