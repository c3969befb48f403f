using System.Security.Claims;
using System.Text.Encodings.Web;
using Gateway.AspNetCore.Internal;
using Gateway.Core.Errors;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Gateway.AspNetCore.Authentication.Internal;

/// <summary>
/// The gateway's API-key scheme. A valid key (or, with no keys configured, a loopback client) yields a
/// principal whose name identifier is its rate-limit partition. Its challenge and forbid answers are the
/// gateway's problem bodies: 401 <c>unauthenticated</c> with <c>WWW-Authenticate: Bearer</c>,
/// 403 <c>loopback_only</c> for a remote client while no keys are configured, 403 <c>forbidden</c>;
/// on <c>/v1</c> in OpenAI's error envelope as well.
/// </summary>
internal sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, ApiKeyValidator validator)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    private ApiKeyCheck _check = ApiKeyCheck.Missing;

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        _check = validator.Check(Context, out var partition);
        return Task.FromResult(_check switch
        {
            ApiKeyCheck.Accepted => AuthenticateResult.Success(new AuthenticationTicket(
                new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.NameIdentifier, partition)], Scheme.Name)),
                Scheme.Name)),
            // Nothing presented is not a failure: another scheme of the host may still authenticate the request.
            ApiKeyCheck.Missing => AuthenticateResult.NoResult(),
            ApiKeyCheck.Invalid => AuthenticateResult.Fail("The API key is not valid."),
            _ => AuthenticateResult.Fail("No API keys are configured and the client is not on this machine."),
        });
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        await HandleAuthenticateOnceSafeAsync().ConfigureAwait(false);
        if (Response.HasStarted)
        {
            return;
        }

        if (_check == ApiKeyCheck.RemoteWithoutKeys)
        {
            await WriteAsync(
                StatusCodes.Status403Forbidden,
                GatewayErrorCodes.LoopbackOnly,
                "This gateway has no API keys configured, so it only serves clients on this machine. Set GATEWAY_API_KEYS to serve remote clients.")
                .ConfigureAwait(false);
            return;
        }

        Response.Headers.WWWAuthenticate = "Bearer";
        await WriteAsync(
            StatusCodes.Status401Unauthorized,
            GatewayErrorCodes.Unauthenticated,
            _check == ApiKeyCheck.Invalid
                ? "The API key is not valid."
                : "An API key is required: send 'Authorization: Bearer <key>' or 'X-API-Key: <key>'.")
            .ConfigureAwait(false);
    }

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties) =>
        Response.HasStarted
            ? Task.CompletedTask
            : WriteAsync(StatusCodes.Status403Forbidden, GatewayErrorCodes.Forbidden, "The credentials presented do not permit this request.");

    private Task WriteAsync(int status, string errorCode, string detail) =>
        GatewayProblems.Result(GatewayProblems.Create(Context, status, errorCode, detail)).ExecuteAsync(Context);
}
