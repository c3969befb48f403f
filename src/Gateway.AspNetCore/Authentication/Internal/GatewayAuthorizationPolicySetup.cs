using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Options;

namespace Gateway.AspNetCore.Authentication.Internal;

/// <summary>
/// Adds <see cref="GatewayAuthorizationDefaults.PolicyName"/> unless the host registered its own: an
/// authenticated principal of the host's default scheme (a JWT bearer or OpenID Connect scheme the host
/// made its default) or of the gateway's API-key scheme. The API-key scheme comes last, so its challenge
/// writes the gateway's 401 body after the host's scheme has set its headers.
/// </summary>
internal sealed class GatewayAuthorizationPolicySetup(IOptions<AuthenticationOptions> authentication) : IConfigureOptions<AuthorizationOptions>
{
    public void Configure(AuthorizationOptions options)
    {
        if (options.GetPolicy(GatewayAuthorizationDefaults.PolicyName) is not null)
        {
            return;
        }

        var hostDefault = authentication.Value.DefaultAuthenticateScheme ?? authentication.Value.DefaultScheme;
        options.AddPolicy(GatewayAuthorizationDefaults.PolicyName, policy =>
        {
            if (hostDefault is not null && hostDefault != ApiKeyAuthenticationDefaults.AuthenticationScheme)
            {
                policy.AddAuthenticationSchemes(hostDefault);
            }

            policy.AddAuthenticationSchemes(ApiKeyAuthenticationDefaults.AuthenticationScheme).RequireAuthenticatedUser();
        });
    }
}
