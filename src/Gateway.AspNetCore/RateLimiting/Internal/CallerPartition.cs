using System.Security.Claims;
using Gateway.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;

namespace Gateway.AspNetCore.RateLimiting.Internal;

/// <summary>Whom a request's rate limit counts: its API key, else the user of the host's scheme, else its client address.</summary>
internal static class CallerPartition
{
    public static string Of(HttpContext context)
    {
        string? hostUser = null;
        foreach (var identity in context.User.Identities)
        {
            if (!identity.IsAuthenticated || identity.FindFirst(ClaimTypes.NameIdentifier)?.Value is not { } id)
            {
                continue;
            }

            if (identity.AuthenticationType == ApiKeyAuthenticationDefaults.AuthenticationScheme)
            {
                // The API-key scheme's name identifier is already a partition (the key's digest prefix, or ip:).
                return id;
            }

            hostUser ??= "user:" + identity.AuthenticationType + ":" + id;
        }

        return hostUser ?? "ip:" + context.Connection.RemoteIpAddress;
    }
}
