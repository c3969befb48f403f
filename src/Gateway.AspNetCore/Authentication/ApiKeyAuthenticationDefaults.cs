namespace Gateway.AspNetCore.Authentication;

/// <summary>Names used by the gateway's API-key authentication scheme.</summary>
public static class ApiKeyAuthenticationDefaults
{
    /// <summary>The scheme's name, for <c>AuthorizationPolicyBuilder.AddAuthenticationSchemes</c> and <c>ChallengeAsync</c>.</summary>
    public const string AuthenticationScheme = "GatewayApiKey";

    /// <summary>The header that carries a key besides <c>Authorization: Bearer &lt;key&gt;</c>.</summary>
    public const string HeaderName = "X-API-Key";
}
