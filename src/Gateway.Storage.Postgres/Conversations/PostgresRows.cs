using System.Data.Common;
using System.Text.Json;
using Gateway.Core.Errors;
using Gateway.Core.Storage.Conversations;
using static Gateway.Core.Storage.Conversations.ConversationStoreRules;

namespace Gateway.Storage.Postgres.Conversations;

/// <summary>
/// Maps rows to records, and adds PostgreSQL's own limit to Core's <see cref="ConversationStoreRules"/>: text cannot hold NUL. Timestamps are <c>timestamptz</c>, which keeps
/// microseconds: every instant is cut to whole microseconds before it is written, and the records the
/// stores return carry that value, so they equal what a later read returns.
/// </summary>
internal static class PostgresRows
{
    /// <summary>The columns <see cref="ReadConversation"/> expects, in order.</summary>
    public const string ConversationColumns =
        "id, title, space_id, metadata::text, created_at, updated_at, archived, message_count, active_message_id";

    /// <summary>The columns <see cref="ReadMessage"/> expects, in order.</summary>
    public const string MessageColumns =
        "seq, id, conversation_id, parent_id, role, content, model_key, input_tokens, output_tokens, status, created_at";

    /// <summary><paramref name="value"/> in UTC, cut to the microsecond PostgreSQL keeps.</summary>
    public static DateTimeOffset ToStored(DateTimeOffset value)
    {
        var ticks = value.UtcTicks;
        return new DateTimeOffset(ticks - (ticks % 10), TimeSpan.Zero);
    }

    public static Conversation ReadConversation(DbDataReader reader) => new(
        Id: reader.GetString(0),
        Title: reader.IsDBNull(1) ? null : reader.GetString(1),
        SpaceId: reader.IsDBNull(2) ? null : reader.GetString(2),
        Metadata: ParseMetadata(reader.GetString(3)),
        CreatedAt: reader.GetFieldValue<DateTimeOffset>(4),
        UpdatedAt: reader.GetFieldValue<DateTimeOffset>(5),
        Archived: reader.GetBoolean(6),
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
        CreatedAt: reader.GetFieldValue<DateTimeOffset>(10));

    /// <summary>An empty string means "none" for the optional text members.</summary>
    public static object OptionalText(string? value) => string.IsNullOrEmpty(value) ? DBNull.Value : value;

    public static object Optional<T>(T? value)
        where T : struct => value is { } present ? present : DBNull.Value;

    /// <summary><see cref="ConversationStoreRules.MetadataText"/>, refusing what jsonb cannot hold (NUL) with a clear 400.</summary>
    public static string StorableMetadataText(JsonElement? metadata, string field = "metadata")
    {
        var text = MetadataText(metadata, field);
        if (text.Contains("\\u0000", StringComparison.OrdinalIgnoreCase))
        {
            throw GatewayException.InvalidField(field, "a NUL character (\\u0000) cannot be stored in PostgreSQL.");
        }

        return text;
    }

    /// <summary><see cref="ConversationStoreRules.ValidateMessageFields"/>, refusing content PostgreSQL text cannot hold (NUL) with a clear 400.</summary>
    public static void ValidateStorableMessage(string? role, string? content, long? inputTokens, long? outputTokens, MessageStatus status, string field)
    {
        ValidateMessageFields(role, content, inputTokens, outputTokens, status, field);
        if (content!.Contains('\0', StringComparison.Ordinal))
        {
            throw GatewayException.InvalidField($"{field}.content", "a NUL character cannot be stored in PostgreSQL.");
        }
    }
}
