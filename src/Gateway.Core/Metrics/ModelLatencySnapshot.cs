namespace Gateway.Core.Metrics;

/// <summary>What one route's live traffic looked like over the recent window, from <see cref="ModelLatencyWindow.GetSnapshot"/>.</summary>
/// <param name="Window">How far back the snapshot looks.</param>
/// <param name="Requests">Requests that finished inside the window, successful or failed (cancelled ones are not counted).</param>
/// <param name="Errors">Of <see cref="Requests"/>, those that failed.</param>
/// <param name="TimeToFirstToken">Time to the first streamed token over the successful streamed requests; <see langword="null"/> when there were none.</param>
/// <param name="Duration">Total duration over the successful requests; <see langword="null"/> when there were none.</param>
/// <param name="OutputTokensPerSecond">
/// Output tokens the upstream reported, divided by the time spent generating them (the duration less the
/// time to the first token for a streamed request, the whole duration otherwise), over the successful
/// requests that reported tokens; <see langword="null"/> when none did.
/// </param>
/// <param name="SampleLimit">The most requests the window keeps.</param>
/// <param name="SampleLimitReached">
/// Whether the window is full of requests that are all still inside it, so older requests of the window
/// were dropped and the figures describe only the most recent <see cref="SampleLimit"/>.
/// </param>
public sealed record ModelLatencySnapshot(
    TimeSpan Window,
    int Requests,
    int Errors,
    LatencyPercentiles? TimeToFirstToken,
    LatencyPercentiles? Duration,
    double? OutputTokensPerSecond,
    int SampleLimit,
    bool SampleLimitReached);
