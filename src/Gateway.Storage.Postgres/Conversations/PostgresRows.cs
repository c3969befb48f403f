using System.Data.Common;
using System.Text.Json;
using Gateway.Core.Errors;
using Gateway.Core.Storage.Conversations;
using Gateway.Storage.Relational;
using static Gateway.Core.Storage.Conversations.ConversationStoreRules;

namespace Gateway.Storage.Postgres.Conversations;

/// <summary>
/// Maps rows to records, and adds PostgreSQL's own limit to Core's <see cref="ConversationStoreRules"/>: text cannot hold NUL. Timestamps are <c>timestamptz</c>, which keeps
/// microseconds: every instant is cut to whole microseconds before it is written, and the records the
/// stores return carry that value, so they equal what a later read returns.
/// </summary>
internal static class PostgresRows
{
    /// <summary>The columns <see cref="ReadConversation"/> expects, in order (messages: <see cref="StoredRows.MessageColumns"/>).</summary>
    public const string ConversationColumns =
        "id, title, space_id, metadata::text, created_at, updated_at, archived, message_count, active_message_id";

    /// <summary><paramref name="value"/> in UTC, cut to the microsecond PostgreSQL keeps.</summary>
    public static DateTimeOffset ToStored(DateTimeOffset value)
    {
        var ticks = value.UtcTicks;
        return new DateTimeOffset(ticks - (ticks % 10), TimeSpan.Zero);
    }

    public static Conversation ReadConversation(DbDataReader reader) => StoredRows.ReadConversation(reader, ReadTime);

    public static ConversationMessage ReadMessage(DbDataReader reader) => StoredRows.ReadMessage(reader, ReadTime);

    /// <summary>A <c>timestamptz</c> column.</summary>
    public static DateTimeOffset ReadTime(DbDataReader reader, int ordinal) => reader.GetFieldValue<DateTimeOffset>(ordinal);

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

    /// <summary>
    /// <see cref="ConversationStoreRules.ValidateMessageFields"/>, <see cref="ConversationStoreRules.ValidateToolFields"/> and
    /// <see cref="ConversationStoreRules.ValidateCitations"/>, refusing text PostgreSQL cannot hold (NUL) with a clear 400.
    /// </summary>
    public static void ValidateStorableMessage(
        string? role, string? content, long? inputTokens, long? outputTokens, MessageStatus status,
        IReadOnlyList<StoredToolCall>? toolCalls, string? toolCallId, string? toolName, IReadOnlyList<MessageCitation>? citations, string field)
    {
        ValidateMessageFields(role, content, inputTokens, outputTokens, status, field);
        ValidateToolFields(role, toolCalls, toolCallId, toolName, field);
        ValidateCitations(role, citations, field);
        RefuseNul(content, $"{field}.content");
        RefuseNul(toolCallId, $"{field}.toolCallId");
        RefuseNul(toolName, $"{field}.toolName");
        for (var i = 0; i < (toolCalls?.Count ?? 0); i++)
        {
            RefuseNul(toolCalls![i].Id, $"{field}.toolCalls[{i}].id");
            RefuseNul(toolCalls[i].Name, $"{field}.toolCalls[{i}].name");
            RefuseNul(toolCalls[i].Arguments, $"{field}.toolCalls[{i}].arguments");
        }

        for (var i = 0; i < (citations?.Count ?? 0); i++)
        {
            var citation = citations![i];
            RefuseNul(citation.ChunkId, $"{field}.citations[{i}].chunkId");
            RefuseNul(citation.DocumentId, $"{field}.citations[{i}].documentId");
            RefuseNul(citation.DocumentName, $"{field}.citations[{i}].documentName");
            RefuseNul(citation.CollectionId, $"{field}.citations[{i}].collectionId");
            RefuseNul(citation.Citation.HeadingPath, $"{field}.citations[{i}].citation.headingPath");
            RefuseNul(citation.Citation.JsonPath, $"{field}.citations[{i}].citation.jsonPath");
        }
    }

    private static void RefuseNul(string? text, string field)
    {
        if (text is not null && text.Contains('\0', StringComparison.Ordinal))
        {
            throw GatewayException.InvalidField(field, "a NUL character cannot be stored in PostgreSQL.");
        }
    }
}
