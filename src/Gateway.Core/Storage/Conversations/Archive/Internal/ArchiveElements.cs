using System.Text.Json;

namespace Gateway.Core.Storage.Conversations.Archive.Internal;

/// <summary>
/// Typed access to the members of one parsed conversation, each failure naming its JSON path. A member
/// that is <c>null</c> counts as absent.
/// </summary>
internal static class ArchiveElements
{
    /// <summary>Deep enough for any metadata a caller stores, shallow enough that a hostile file cannot recurse far.</summary>
    public const int MaxDepth = 128;

    private const double LatestUnixSeconds = 253402300799; // 9999-12-31T23:59:59Z

    public static void RequireKind(JsonElement element, JsonValueKind kind, string path)
    {
        if (element.ValueKind != kind)
        {
            throw ArchiveErrors.Invalid(path, $"expected {ArchiveErrors.Describe(kind)}, found {ArchiveErrors.Describe(element.ValueKind)}.");
        }
    }

    public static JsonElement? Optional(JsonElement owner, string name) =>
        owner.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null ? value : null;

    public static JsonElement Required(JsonElement owner, string name, string path, JsonValueKind kind)
    {
        var value = Optional(owner, name) ?? throw ArchiveErrors.Invalid(ArchivePath.Property(path, name), $"is required ({ArchiveErrors.Describe(kind)}).");
        RequireKind(value, kind, ArchivePath.Property(path, name));
        return value;
    }

    public static JsonElement? Optional(JsonElement owner, string name, string path, JsonValueKind kind)
    {
        var value = Optional(owner, name);
        if (value is { } present)
        {
            RequireKind(present, kind, ArchivePath.Property(path, name));
        }

        return value;
    }

    public static string RequireString(JsonElement owner, string name, string path) =>
        Text(Required(owner, name, path, JsonValueKind.String), ArchivePath.Property(path, name));

    public static string? OptionalString(JsonElement owner, string name, string path) =>
        Optional(owner, name, path, JsonValueKind.String) is { } value ? Text(value, ArchivePath.Property(path, name)) : null;

    public static string Text(JsonElement value, string path)
    {
        try
        {
            return value.GetString()!;
        }
        catch (InvalidOperationException exception)
        {
            throw ArchiveErrors.Invalid(path, "the string is not valid UTF-8.", innerException: exception);
        }
    }

    public static string RequireId(JsonElement owner, string name, string path) =>
        CheckId(RequireString(owner, name, path), ArchivePath.Property(path, name));

    public static string? OptionalId(JsonElement owner, string name, string path) =>
        OptionalString(owner, name, path) is { } id ? CheckId(id, ArchivePath.Property(path, name)) : null;

    public static bool? OptionalBoolean(JsonElement owner, string name, string path)
    {
        var value = Optional(owner, name);
        return value?.ValueKind switch
        {
            null => null,
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => throw ArchiveErrors.Invalid(ArchivePath.Property(path, name), $"expected a boolean, found {ArchiveErrors.Describe(value.Value.ValueKind)}."),
        };
    }

    public static long? OptionalCount(JsonElement owner, string name, string path)
    {
        if (Optional(owner, name, path, JsonValueKind.Number) is not { } value)
        {
            return null;
        }

        if (!value.TryGetInt64(out var count) || count < 0)
        {
            throw ArchiveErrors.Invalid(ArchivePath.Property(path, name), $"expected a non-negative integer, found {value.GetRawText()}.");
        }

        return count;
    }

    /// <summary>An ISO 8601 timestamp with an offset; one without is refused, since its meaning would depend on the server's time zone.</summary>
    public static DateTimeOffset RequireTimestamp(JsonElement owner, string name, string path)
    {
        var value = Required(owner, name, path, JsonValueKind.String);
        if (!value.TryGetDateTimeOffset(out var timestamp) || !value.TryGetDateTime(out var local) || local.Kind == DateTimeKind.Unspecified)
        {
            throw ArchiveErrors.Invalid(ArchivePath.Property(path, name), "expected an ISO 8601 timestamp with a UTC offset, e.g. 2025-01-31T12:00:00Z.");
        }

        return timestamp;
    }

    /// <summary>Seconds since the Unix epoch as a number with a fraction (ChatGPT's <c>create_time</c>).</summary>
    public static DateTimeOffset? OptionalUnixSeconds(JsonElement owner, string name, string path)
    {
        if (Optional(owner, name, path, JsonValueKind.Number) is not { } value)
        {
            return null;
        }

        var seconds = value.GetDouble();
        if (!double.IsFinite(seconds) || seconds < 0 || seconds > LatestUnixSeconds)
        {
            throw ArchiveErrors.Invalid(ArchivePath.Property(path, name), $"expected seconds since 1970-01-01 as a number, found {value.GetRawText()}.");
        }

        // Microseconds are what the export carries; rounding there keeps the same file mapping to the same instants.
        return DateTimeOffset.UnixEpoch.AddTicks((long)Math.Round(seconds * 1_000_000) * 10);
    }

    private static string CheckId(string id, string path) => SortableId.IsWellFormed(id)
        ? id
        : throw ArchiveErrors.Invalid(path, $"'{Truncate(id)}' is not a valid id (a UUID such as 0190a4b2-7c3d-7e8f-9a0b-1c2d3e4f5a6b).");

    public static string Truncate(string text) => text.Length <= 64 ? text : string.Concat(text.AsSpan(0, 61), "...");
}
