using System.Data.Common;
using System.Globalization;
using Gateway.Core.Storage.Conversations;
using static Gateway.Core.Storage.Conversations.ConversationStoreRules;

namespace Gateway.Storage.Sqlite.Conversations;

/// <summary>
/// Maps rows to records (the rules for what callers hand in are Core's <see cref="ConversationStoreRules"/>). Timestamps are stored as UTC ISO-8601 text
/// of fixed width (seven fractional digits, <c>Z</c>), so comparing the text compares the instants and
/// every tick survives a round trip.
/// </summary>
internal static class ConversationRows
{
    /// <summary>The columns <see cref="ReadConversation"/> expects, in order.</summary>
    public const string ConversationColumns =
        "id, title, space_id, metadata, created_at, updated_at, archived, message_count, active_message_id";

    /// <summary>The columns <see cref="ReadMessage"/> expects, in order.</summary>
    public const string MessageColumns =
        "seq, id, conversation_id, parent_id, role, content, model_key, input_tokens, output_tokens, status, created_at";

    private const string TimeFormat = "yyyy'-'MM'-'dd'T'HH':'mm':'ss'.'fffffff'Z'";

    public static string FormatTime(DateTimeOffset value) => value.UtcDateTime.ToString(TimeFormat, CultureInfo.InvariantCulture);

    public static DateTimeOffset ParseTime(string text) =>
        DateTimeOffset.TryParseExact(text, TimeFormat, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var exact)
            ? exact
            : DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);

    public static Conversation ReadConversation(DbDataReader reader) => new(
        Id: reader.GetString(0),
        Title: reader.IsDBNull(1) ? null : reader.GetString(1),
        SpaceId: reader.IsDBNull(2) ? null : reader.GetString(2),
        Metadata: ParseMetadata(reader.GetString(3)),
        CreatedAt: ParseTime(reader.GetString(4)),
        UpdatedAt: ParseTime(reader.GetString(5)),
        Archived: reader.GetInt64(6) != 0,
        MessageCount: reader.GetInt32(7),
        ActiveMessageId: reader.IsDBNull(8) ? null : reader.GetString(8));

    public static ConversationMessage ReadMessage(DbDataReader reader) => new(
        Id: reader.GetString(1),
        ConversationId: reader.GetString(2),
        ParentId: reader.IsDBNull(3) ? null : reader.GetString(3),
        Role: reader.GetString(4),
        Content: reader.GetString(5),
        ModelKey: reader.IsDBNull(6) ? null : reader.GetString(6),
        InputTokens: reader.IsDBNull(7) ? null : reader.GetInt64(7),
        OutputTokens: reader.IsDBNull(8) ? null : reader.GetInt64(8),
        Status: ParseStatus(reader.GetString(9)),
        CreatedAt: ParseTime(reader.GetString(10)));

    /// <summary>An empty string means "none" for the optional text members.</summary>
    public static object OptionalText(string? value) => string.IsNullOrEmpty(value) ? DBNull.Value : value;

    public static object Optional<T>(T? value)
        where T : struct => value is { } present ? present : DBNull.Value;
}
