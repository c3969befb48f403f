namespace Gateway.AspNetCore.Authentication;

/// <summary>The authorization policy that guards the gateway's endpoints (all but <c>/health</c>, and the metrics unless <c>METRICS_REQUIRE_KEY</c>).</summary>
public static class GatewayAuthorizationDefaults
{
    /// <summary>
    /// The policy's name. By default it accepts a principal of the gateway's API-key scheme or of the
    /// host's default authentication scheme. To accept other schemes, register a policy of this name
    /// yourself (<c>services.AddAuthorization(o =&gt; o.AddPolicy(GatewayAuthorizationDefaults.PolicyName, …))</c>);
    /// the gateway then keeps yours.
    /// </summary>
    public const string PolicyName = "Gateway";
}
