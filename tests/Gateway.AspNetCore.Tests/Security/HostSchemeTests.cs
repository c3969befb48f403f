using System.Net;
using System.Security.Claims;
using System.Text.Encodings.Web;
using Gateway.AspNetCore.Authentication;
using Gateway.AspNetCore.Tests.Infrastructure;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using static Gateway.AspNetCore.Tests.Routing.RoutingEndpointTests;

namespace Gateway.AspNetCore.Tests.Security;

/// <summary>A host that adds its own authentication scheme (as it would add JWT bearer or OpenID Connect) beside the gateway's API keys.</summary>
public sealed class HostSchemeTests
{
    private const string HostScheme = "HostToken";
    private const string UserHeader = "X-Host-User";

    private static readonly Dictionary<string, string?> WithKeys = new() { ["GATEWAY_API_KEYS"] = "gateway-key" };

    private static HttpRequestMessage Get(string path, string? header = null, string? value = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (header is not null)
        {
            request.Headers.TryAddWithoutValidation(header, value);
        }

        return request;
    }

    [Theory]
    [InlineData("api/models")]
    [InlineData("v1/models")]
    public async Task Request_AuthenticatedByTheHostsDefaultScheme_IsServed(string path)
    {
        await using var gateway = await GatewayTestHost.StartAsync(WithKeys, g => g.Services
            .AddAuthentication(HostScheme)
            .AddScheme<AuthenticationSchemeOptions, HostTokenHandler>(HostScheme, null));

        using var response = await gateway.Client.SendAsync(Get(path, UserHeader, "alice"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Request_WithoutCredentials_GetsTheGateways401Body()
    {
        await using var gateway = await GatewayTestHost.StartAsync(WithKeys, g => g.Services
            .AddAuthentication(HostScheme)
            .AddScheme<AuthenticationSchemeOptions, HostTokenHandler>(HostScheme, null));

        using var api = await gateway.Client.SendAsync(Get("api/models"));
        using var openAI = await gateway.Client.SendAsync(Get("v1/models"));
        using var withKey = await gateway.Client.SendAsync(Get("api/models", ApiKeyAuthenticationDefaults.HeaderName, "gateway-key"));

        var problem = await AssertProblemAsync(api, HttpStatusCode.Unauthorized, "unauthenticated");
        Assert.Contains("API key is required", problem.GetProperty("detail").GetString());
        Assert.Contains("Bearer", api.Headers.WwwAuthenticate.ToString());
        var error = (await AssertProblemAsync(openAI, HttpStatusCode.Unauthorized, "unauthenticated")).GetProperty("error");
        Assert.Equal("authentication_error", error.GetProperty("type").GetString());
        Assert.Equal("unauthenticated", error.GetProperty("code").GetString());
        Assert.Equal(HttpStatusCode.OK, withKey.StatusCode);
    }

    [Fact]
    public async Task Request_HostsOwnGatewayPolicy_IsHonoured()
    {
        // The host's scheme is not its default here: it names the schemes in the gateway's policy itself.
        await using var gateway = await GatewayTestHost.StartAsync(WithKeys, g =>
        {
            g.Services.AddAuthentication().AddScheme<AuthenticationSchemeOptions, HostTokenHandler>(HostScheme, null);
            g.Services.AddAuthorization(options => options.AddPolicy(GatewayAuthorizationDefaults.PolicyName, policy => policy
                .AddAuthenticationSchemes(HostScheme, ApiKeyAuthenticationDefaults.AuthenticationScheme)
                .RequireClaim(ClaimTypes.Role, "gateway-user")));
        });

        using var member = await gateway.Client.SendAsync(Get("api/models", UserHeader, "alice:gateway-user"));
        using var outsider = await gateway.Client.SendAsync(Get("api/models", UserHeader, "bob"));
        using var nobody = await gateway.Client.SendAsync(Get("api/models"));

        Assert.Equal(HttpStatusCode.OK, member.StatusCode);
        await AssertProblemAsync(outsider, HttpStatusCode.Forbidden, "forbidden");
        await AssertProblemAsync(nobody, HttpStatusCode.Unauthorized, "unauthenticated");
    }

    /// <summary>Authenticates <c>X-Host-User: name[:role]</c>; a stand-in for a JWT bearer handler.</summary>
    private sealed class HostTokenHandler(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder)
        : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
    {
        protected override Task<AuthenticateResult> HandleAuthenticateAsync()
        {
            if (!Request.Headers.TryGetValue(UserHeader, out var value) || value.ToString() is not { Length: > 0 } user)
            {
                return Task.FromResult(AuthenticateResult.NoResult());
            }

            var parts = user.Split(':');
            var claims = new List<Claim> { new(ClaimTypes.NameIdentifier, parts[0]) };
            claims.AddRange(parts.Skip(1).Select(role => new Claim(ClaimTypes.Role, role)));
            var principal = new ClaimsPrincipal(new ClaimsIdentity(claims, Scheme.Name));
            return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(principal, Scheme.Name)));
        }
    }
}
