using System.Buffers.Text;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Gateway.Core.Errors;

namespace Gateway.Core.Storage.Conversations;

/// <summary>
/// The opaque <c>nextCursor</c> of a search: base64url of the pinned candidate window (the newest seq
/// when the first page was asked for), the offset into the ranked window, and a fingerprint of the
/// query and scope, so a cursor is only accepted back with the search that produced it. Shared by
/// every backend.
/// </summary>
/// <param name="Pin">The newest message seq when the first page was asked for.</param>
/// <param name="Offset">How many ranked hits earlier pages returned.</param>
/// <param name="Fingerprint">The digest of the query and scope, from <see cref="FingerprintOf"/>.</param>
public readonly record struct SearchCursor(long Pin, int Offset, string Fingerprint)
{
    private const string Tag = "s1";

    /// <summary>The cursor as the opaque text a client passes back.</summary>
    public string Encode() => Base64Url.EncodeToString(Encoding.UTF8.GetBytes(
        string.Create(CultureInfo.InvariantCulture, $"{Tag}:{Pin}:{Offset}:{Fingerprint}")));

    /// <summary>Reads <paramref name="cursor"/>, which must carry <paramref name="fingerprint"/>.</summary>
    /// <exception cref="GatewayException"><see cref="GatewayErrorCodes.InvalidCursor"/> for anything else.</exception>
    public static SearchCursor Decode(string cursor, string fingerprint, int maxOffset)
    {
        if (cursor.Length is 0 or > 128 || !Base64Url.IsValid(cursor))
        {
            throw Invalid();
        }

        string text;
        try
        {
            text = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(cursor));
        }
        catch (FormatException)
        {
            throw Invalid();
        }

        var parts = text.Split(':');
        if (parts is not [Tag, var pinText, var offsetText, var print]
            || !long.TryParse(pinText, NumberStyles.None, CultureInfo.InvariantCulture, out var pin)
            || !int.TryParse(offsetText, NumberStyles.None, CultureInfo.InvariantCulture, out var offset)
            || offset <= 0
            || offset > maxOffset
            || !string.Equals(print, fingerprint, StringComparison.Ordinal))
        {
            throw Invalid();
        }

        return new SearchCursor(pin, offset, print);
    }

    /// <summary>A short, stable digest of what decides the candidate set: the rendered query and its scope.</summary>
    public static string FingerprintOf(string match, string? conversationId, string? spaceId)
    {
        var digest = SHA256.HashData(Encoding.UTF8.GetBytes($"{match}\u0000{conversationId}\u0000{spaceId}"));
        return Convert.ToHexStringLower(digest.AsSpan(0, 6));
    }

    private static GatewayException Invalid() =>
        new(GatewayErrorKind.InvalidRequest, GatewayErrorCodes.InvalidCursor,
            "cursor: not a cursor this search returned; start again without it.",
            new Dictionary<string, object?> { ["field"] = "cursor" });
}
