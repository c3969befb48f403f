using System.Net;
using System.Security.Cryptography;
using System.Text;
using Gateway.Core.Configuration;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;

namespace Gateway.AspNetCore.Internal;

/// <summary>
/// Checks the API key a client presents (<c>Authorization: Bearer</c> or <c>X-API-Key</c>) against
/// <c>GATEWAY_API_KEYS</c>. Keys are compared as SHA-256 digests in constant time, and every key is
/// compared, so neither the length nor the position of a match leaks through timing.
/// </summary>
internal sealed class ApiKeyValidator
{
    public const string ApiKeyHeader = "X-API-Key";

    private readonly byte[][] _keyDigests;

    public ApiKeyValidator(IOptions<GatewayOptions> options)
    {
        _keyDigests = options.Value.ApiKeys.Select(key => SHA256.HashData(Encoding.UTF8.GetBytes(key))).ToArray();
    }

    /// <summary>Whether any key is configured; without keys only loopback clients are served.</summary>
    public bool KeysConfigured => _keyDigests.Length > 0;

    public ApiKeyCheck Check(HttpContext context)
    {
        if (!KeysConfigured)
        {
            var remote = context.Connection.RemoteIpAddress;
            return remote is null || IPAddress.IsLoopback(remote) ? ApiKeyCheck.Accepted : ApiKeyCheck.RemoteWithoutKeys;
        }

        var presented = PresentedKey(context.Request);
        if (presented.Length == 0)
        {
            return ApiKeyCheck.Missing;
        }

        Span<byte> digest = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(Encoding.UTF8.GetBytes(presented), digest);
        var match = false;
        foreach (var key in _keyDigests)
        {
            match |= CryptographicOperations.FixedTimeEquals(digest, key);
        }

        return match ? ApiKeyCheck.Accepted : ApiKeyCheck.Invalid;
    }

    private static string PresentedKey(HttpRequest request)
    {
        if (request.Headers.TryGetValue(ApiKeyHeader, out StringValues apiKey) && !StringValues.IsNullOrEmpty(apiKey))
        {
            return apiKey.ToString().Trim();
        }

        var authorization = request.Headers.Authorization.ToString();
        const string Bearer = "Bearer ";
        return authorization.StartsWith(Bearer, StringComparison.OrdinalIgnoreCase)
            ? authorization[Bearer.Length..].Trim()
            : string.Empty;
    }
}
