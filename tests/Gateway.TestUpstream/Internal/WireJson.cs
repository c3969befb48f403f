using System.Text.Encodings.Web;
using System.Text.Json;

namespace Gateway.TestUpstream.Internal;

/// <summary>The JSON settings of everything the fake writes, so pre-encoded text and writer output agree.</summary>
internal static class WireJson
{
    // Real servers send non-ASCII text as raw UTF-8; escaping it would hide client bugs with
    // multi-byte characters split across reads.
    private static readonly JavaScriptEncoder Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping;

    public static JsonWriterOptions WriterOptions { get; } = new() { Encoder = Encoder };

    public static JsonEncodedText Encode(string value) => JsonEncodedText.Encode(value, Encoder);

    /// <summary>Whether the last of <paramref name="request"/>'s <c>messages</c> has role <c>tool</c> (the same in both formats).</summary>
    public static bool EndsWithToolResult(JsonElement request) =>
        request.TryGetProperty("messages"u8, out var messages)
        && messages.ValueKind == JsonValueKind.Array
        && messages.GetArrayLength() > 0
        && messages[messages.GetArrayLength() - 1] is { ValueKind: JsonValueKind.Object } last
        && last.TryGetProperty("role"u8, out var role)
        && role.ValueKind == JsonValueKind.String
        && role.ValueEquals("tool"u8);

    /// <summary>The stop sequences of <paramref name="container"/>'s <c>stop</c> member: one string or an array of them.</summary>
    public static IReadOnlyList<string> ReadStop(JsonElement container)
    {
        if (container.ValueKind != JsonValueKind.Object || !container.TryGetProperty("stop"u8, out var stop))
        {
            return [];
        }

        return stop.ValueKind switch
        {
            JsonValueKind.String => [stop.GetString()!],
            JsonValueKind.Array => [.. stop.EnumerateArray().Where(item => item.ValueKind == JsonValueKind.String).Select(item => item.GetString()!)],
            _ => [],
        };
    }
}
