namespace Gateway.Core.RateLimiting;

/// <summary>
/// Decides whether one more request of a caller fits in its <c>RATE_LIMIT_PER_MIN</c> budget. The
/// check and the count are one operation, so concurrent requests (and, with a shared store, several
/// gateway replicas) can never admit more than the limit together.
/// </summary>
public interface IRequestRateLimiter
{
    /// <summary>Counts one request of <paramref name="partition"/> and says whether it is admitted.</summary>
    /// <param name="partition">Who is limited: the API key, or the client address when no keys are configured.</param>
    /// <param name="permitsPerMinute">The partition's budget per one-minute window; 0 or less admits every request.</param>
    /// <param name="cancellationToken">Cancels the check.</param>
    ValueTask<RateLimitDecision> AcquireAsync(string partition, int permitsPerMinute, CancellationToken cancellationToken = default);
}
