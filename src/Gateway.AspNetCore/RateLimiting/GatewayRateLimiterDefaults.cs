namespace Gateway.AspNetCore.RateLimiting;

/// <summary>Names used by the gateway's rate limiting, registered through ASP.NET Core's <c>AddRateLimiter</c>.</summary>
public static class GatewayRateLimiterDefaults
{
    /// <summary>
    /// The rate limiter policy on the gateway's endpoints while <c>RATE_LIMIT_PER_MIN</c> is above 0:
    /// a fixed, clock-aligned minute per API key (per user of the host's scheme, else per client address).
    /// The app calls <c>app.UseRateLimiter()</c>; another endpoint can share the same budget with
    /// <c>RequireRateLimiting(GatewayRateLimiterDefaults.PolicyName)</c>.
    /// </summary>
    public const string PolicyName = "Gateway";
}
