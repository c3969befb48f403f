namespace Gateway.AspNetCore.RateLimiting.Internal;

/// <summary>
/// Set on a request by the gateway's rate limiter policy, so the gateway's endpoint filter can tell that
/// <c>app.UseRateLimiter()</c> ran: without it a configured limit would silently not apply.
/// </summary>
internal sealed class RateLimitChecked
{
    public static readonly RateLimitChecked Instance = new();

    private RateLimitChecked()
    {
    }
}
