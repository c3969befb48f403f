using System.Text.Json;
using Gateway.Core.Errors;
using Gateway.Core.Storage.Conversations;
using Npgsql;

namespace Gateway.Storage.Postgres.Conversations;

/// <summary>
/// Maps rows to records and checks what callers hand in. Timestamps are <c>timestamptz</c>, which keeps
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

    private static readonly string[] Roles = ["system", "user", "assistant", "tool"];

    /// <summary><paramref name="value"/> in UTC, cut to the microsecond PostgreSQL keeps.</summary>
    public static DateTimeOffset ToStored(DateTimeOffset value)
    {
        var ticks = value.UtcTicks;
        return new DateTimeOffset(ticks - (ticks % 10), TimeSpan.Zero);
    }

    public static Conversation ReadConversation(NpgsqlDataReader reader) => new(
        Id: reader.GetString(0),
        Title: reader.IsDBNull(1) ? null : reader.GetString(1),
        SpaceId: reader.IsDBNull(2) ? null : reader.GetString(2),
        Metadata: ParseMetadata(reader.GetString(3)),
        CreatedAt: reader.GetFieldValue<DateTimeOffset>(4),
        UpdatedAt: reader.GetFieldValue<DateTimeOffset>(5),
        Archived: reader.GetBoolean(6),
        MessageCount: reader.GetInt32(7),
        ActiveMessageId: reader.IsDBNull(8) ? null : reader.GetString(8));

    public static ConversationMessage ReadMessage(NpgsqlDataReader reader) => new(
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

    public static string StatusText(MessageStatus status) => status switch
    {
        MessageStatus.Complete => "complete",
        MessageStatus.Incomplete => "incomplete",
        MessageStatus.Error => "error",
        _ => throw GatewayException.InvalidField("status", "expected complete, incomplete or error."),
    };

    public static JsonElement ParseMetadata(string text)
    {
        using var document = JsonDocument.Parse(text);
        return document.RootElement.Clone();
    }

    /// <summary>The text to store for <paramref name="metadata"/>; <c>{}</c> when absent.</summary>
    public static string MetadataText(JsonElement? metadata, string field = "metadata")
    {
        if (metadata is not { } value || value.ValueKind == JsonValueKind.Undefined)
        {
            return "{}";
        }

        if (value.ValueKind != JsonValueKind.Object)
        {
            throw GatewayException.InvalidField(field, $"expected a JSON object, got {value.ValueKind.ToString().ToLowerInvariant()}.");
        }

        var text = value.GetRawText();
        if (text.Contains("\\u0000", StringComparison.OrdinalIgnoreCase))
        {
            // jsonb cannot hold the NUL character; say so instead of failing in the database.
            throw GatewayException.InvalidField(field, "a NUL character (\\u0000) cannot be stored in PostgreSQL.");
        }

        return text;
    }

    /// <summary>An empty string means "none" for the optional text members.</summary>
    public static object OptionalText(string? value) => string.IsNullOrEmpty(value) ? DBNull.Value : value;

    public static object Optional<T>(T? value)
        where T : struct => value is { } present ? present : DBNull.Value;

    public static void ValidateMessage(NewMessage message, string field = "message")
    {
        ArgumentNullException.ThrowIfNull(message);
        ValidateMessageFields(message.Role, message.Content, message.InputTokens, message.OutputTokens, message.Status, field);
    }

    public static void ValidateMessageFields(string? role, string? content, long? inputTokens, long? outputTokens, MessageStatus status, string field)
    {
        if (role is null || Array.IndexOf(Roles, role) < 0)
        {
            throw GatewayException.InvalidField($"{field}.role", $"expected one of {string.Join(", ", Roles)}, got '{role}'.");
        }

        if (content is null)
        {
            throw GatewayException.InvalidField($"{field}.content", "expected the message text (it may be empty).");
        }

        if (content.Contains('\0', StringComparison.Ordinal))
        {
            // PostgreSQL text cannot hold the NUL character (SQLite can): a clear 400 rather than a failed insert.
            throw GatewayException.InvalidField($"{field}.content", "a NUL character cannot be stored in PostgreSQL.");
        }

        if (inputTokens < 0 || outputTokens < 0)
        {
            throw GatewayException.InvalidField($"{field}.{(inputTokens < 0 ? "inputTokens" : "outputTokens")}", "expected a token count of 0 or more.");
        }

        if (!Enum.IsDefined(status))
        {
            throw GatewayException.InvalidField($"{field}.status", "expected complete, incomplete or error.");
        }
    }

    public static void CheckLimit(int limit)
    {
        if (limit is < 1 or > StorePaging.MaxLimit)
        {
            throw GatewayException.InvalidField("limit", $"expected 1 to {StorePaging.MaxLimit}, got {limit}.");
        }
    }

    public static GatewayException ConversationNotFound(string conversationId) => new(
        GatewayErrorKind.NotFound,
        GatewayErrorCodes.ConversationNotFound,
        $"No conversation has the id '{conversationId}'.",
        new Dictionary<string, object?> { ["conversationId"] = conversationId });

    public static GatewayException MessageNotFound(string conversationId, string messageId, string field) => new(
        GatewayErrorKind.NotFound,
        GatewayErrorCodes.MessageNotFound,
        $"{field}: conversation '{conversationId}' has no message with the id '{messageId}'.",
        new Dictionary<string, object?> { ["conversationId"] = conversationId, ["messageId"] = messageId, ["field"] = field });

    private static MessageStatus ParseStatus(string text) => text switch
    {
        "incomplete" => MessageStatus.Incomplete,
        "error" => MessageStatus.Error,
        _ => MessageStatus.Complete,
    };
}
