using System.Data.Common;
using System.Globalization;
using Gateway.Core.Storage.Conversations;
using Gateway.Storage.Relational;

namespace Gateway.Storage.Sqlite.Conversations;

/// <summary>
/// Maps rows to records (the rules for what callers hand in are Core's <see cref="ConversationStoreRules"/>). Timestamps are stored as UTC ISO-8601 text
/// of fixed width (seven fractional digits, <c>Z</c>), so comparing the text compares the instants and
/// every tick survives a round trip.
/// </summary>
internal static class ConversationRows
{
    /// <summary>The columns <see cref="ReadConversation"/> expects, in order (messages: <see cref="StoredRows.MessageColumns"/>).</summary>
    public const string ConversationColumns =
        "id, title, space_id, metadata, created_at, updated_at, archived, message_count, active_message_id";

    private const string TimeFormat = "yyyy'-'MM'-'dd'T'HH':'mm':'ss'.'fffffff'Z'";

    public static string FormatTime(DateTimeOffset value) => value.UtcDateTime.ToString(TimeFormat, CultureInfo.InvariantCulture);

    public static DateTimeOffset ParseTime(string text) =>
        DateTimeOffset.TryParseExact(text, TimeFormat, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var exact)
            ? exact
            : DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);

    public static Conversation ReadConversation(DbDataReader reader) => StoredRows.ReadConversation(reader, ReadTime);

    public static ConversationMessage ReadMessage(DbDataReader reader) => StoredRows.ReadMessage(reader, ReadTime);

    /// <summary>A column of <see cref="FormatTime"/> text.</summary>
    public static DateTimeOffset ReadTime(DbDataReader reader, int ordinal) => ParseTime(reader.GetString(ordinal));
}
