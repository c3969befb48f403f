using System.Net;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;

namespace Gateway.AspNetCore.Authentication.Internal;

/// <summary>
/// Checks the API key a client presents (<c>Authorization: Bearer</c> or <c>X-API-Key</c>) against
/// <c>GATEWAY_API_KEYS</c> (<see cref="Configuration.GatewayHttpOptions.ApiKeys"/>).
/// Keys are compared as SHA-256 digests in constant time, and every key is compared, so neither the
/// length nor the position of a match leaks through timing.
/// </summary>
internal sealed class ApiKeyValidator
{
    private readonly byte[][] _keyDigests;

    /// <summary>Per key, the rate-limit partition: a digest prefix, so the key itself is never stored or sent to Redis.</summary>
    private readonly string[] _partitions;

    public ApiKeyValidator(IEnumerable<string> keys)
    {
        _keyDigests = keys.Select(key => SHA256.HashData(Encoding.UTF8.GetBytes(key))).ToArray();
        _partitions = _keyDigests.Select(digest => "key:" + Convert.ToHexStringLower(digest, 0, 16)).ToArray();
    }

    /// <summary>Whether any key is configured; without keys only loopback clients are served.</summary>
    public bool KeysConfigured => _keyDigests.Length > 0;

    /// <param name="context">The request.</param>
    /// <param name="partition">When accepted: whom the rate limit counts, the key's digest prefix or <c>ip:</c> and the client address.</param>
    public ApiKeyCheck Check(HttpContext context, out string partition)
    {
        partition = string.Empty;
        if (!KeysConfigured)
        {
            var remote = context.Connection.RemoteIpAddress;
            if (remote is not null && !IPAddress.IsLoopback(remote))
            {
                return ApiKeyCheck.RemoteWithoutKeys;
            }

            partition = AddressPartition(remote);
            return ApiKeyCheck.Accepted;
        }

        var presented = PresentedKey(context.Request);
        if (presented.Length == 0)
        {
            return ApiKeyCheck.Missing;
        }

        Span<byte> digest = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(Encoding.UTF8.GetBytes(presented), digest);
        var matched = -1;
        for (var i = 0; i < _keyDigests.Length; i++)
        {
            // Every key is compared, so the position of a match does not show in the timing.
            matched = CryptographicOperations.FixedTimeEquals(digest, _keyDigests[i]) ? i : matched;
        }

        if (matched < 0)
        {
            return ApiKeyCheck.Invalid;
        }

        partition = _partitions[matched];
        return ApiKeyCheck.Accepted;
    }

    /// <summary>Without keys only loopback clients get here, so the usual partitions are constants: no string per request.</summary>
    private static string AddressPartition(IPAddress? remote) =>
        remote is null ? "ip:local"
        : remote.Equals(IPAddress.Loopback) ? "ip:127.0.0.1"
        : remote.Equals(IPAddress.IPv6Loopback) ? "ip:::1"
        : "ip:" + remote;

    private static string PresentedKey(HttpRequest request)
    {
        if (request.Headers.TryGetValue(ApiKeyAuthenticationDefaults.HeaderName, out StringValues apiKey) && !StringValues.IsNullOrEmpty(apiKey))
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
