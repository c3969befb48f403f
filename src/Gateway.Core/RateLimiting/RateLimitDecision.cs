namespace Gateway.Core.RateLimiting;

/// <summary>The outcome of <see cref="IRequestRateLimiter.AcquireAsync"/>.</summary>
/// <param name="Admitted">Whether the request may proceed.</param>
/// <param name="Limit">The requests allowed per window.</param>
/// <param name="RetryAfter">When refused: how long until the window has room again.</param>
public readonly record struct RateLimitDecision(bool Admitted, int Limit, TimeSpan RetryAfter)
{
    /// <summary>The decision when limiting is off, or when the limiter's store failed and requests are served anyway.</summary>
    public static RateLimitDecision Unlimited => new(true, 0, TimeSpan.Zero);
}
