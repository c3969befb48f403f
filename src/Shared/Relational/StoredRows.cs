using System.Data.Common;
using Gateway.Core.Storage.Conversations;
using Gateway.Core.Storage.Profiles;
using Gateway.Core.Storage.Spaces;
using static Gateway.Core.Storage.Conversations.ConversationStoreRules;

namespace Gateway.Storage.Relational;

/// <summary>
/// Maps the rows both engines lay out alike to records; each engine says how it reads an instant back
/// (and a profile's stop sequences), since that is where their column types differ.
/// </summary>
internal static class StoredRows
{
    /// <summary>The columns <see cref="ReadMessage"/> expects, in order.</summary>
    public const string MessageColumns =
        "seq, id, conversation_id, parent_id, role, content, model_key, input_tokens, output_tokens, status, created_at, tool_calls, tool_call_id, tool_name, citations";

    /// <summary>Reads a stored instant from a column.</summary>
    public delegate DateTimeOffset TimeReader(DbDataReader reader, int ordinal);

    /// <summary>A conversation from <c>id, title, space_id, metadata, created_at, updated_at, archived, message_count, active_message_id</c>.</summary>
    public static Conversation ReadConversation(DbDataReader reader, TimeReader readTime) => new(
        Id: reader.GetString(0),
        Title: reader.IsDBNull(1) ? null : reader.GetString(1),
        SpaceId: reader.IsDBNull(2) ? null : reader.GetString(2),
        Metadata: ParseMetadata(reader.GetString(3)),
        CreatedAt: readTime(reader, 4),
        UpdatedAt: readTime(reader, 5),
        Archived: reader.GetBoolean(6),
        MessageCount: reader.GetInt32(7),
        ActiveMessageId: reader.IsDBNull(8) ? null : reader.GetString(8));

    /// <summary>A message from <see cref="MessageColumns"/>.</summary>
    public static ConversationMessage ReadMessage(DbDataReader reader, TimeReader readTime) => new(
        Id: reader.GetString(1),
        ConversationId: reader.GetString(2),
        ParentId: reader.IsDBNull(3) ? null : reader.GetString(3),
        Role: reader.GetString(4),
        Content: reader.GetString(5),
        ModelKey: reader.IsDBNull(6) ? null : reader.GetString(6),
        InputTokens: reader.IsDBNull(7) ? null : reader.GetInt64(7),
        OutputTokens: reader.IsDBNull(8) ? null : reader.GetInt64(8),
        Status: ParseStatus(reader.GetString(9)),
        CreatedAt: readTime(reader, 10),
        ToolCalls: reader.IsDBNull(11) ? null : ToolCallsColumn.Parse(reader.GetString(11)),
        ToolCallId: reader.IsDBNull(12) ? null : reader.GetString(12),
        ToolName: reader.IsDBNull(13) ? null : reader.GetString(13),
        Citations: reader.IsDBNull(14) ? null : CitationsColumn.Parse(reader.GetString(14)));

    /// <summary>
    /// A profile from <c>id, name, model_key, system_prompt, temperature, top_p, max_tokens, stop,
    /// context_window, metadata, created_at, updated_at</c>.
    /// </summary>
    public static ModelProfile ReadProfile(DbDataReader reader, TimeReader readTime, Func<DbDataReader, int, IReadOnlyList<string>> readStop) => new(
        Id: reader.GetString(0),
        Name: reader.GetString(1),
        ModelKey: reader.GetString(2),
        SystemPrompt: reader.IsDBNull(3) ? null : reader.GetString(3),
        Temperature: reader.IsDBNull(4) ? null : reader.GetFloat(4),
        TopP: reader.IsDBNull(5) ? null : reader.GetFloat(5),
        MaxTokens: reader.IsDBNull(6) ? null : reader.GetInt32(6),
        Stop: readStop(reader, 7),
        ContextWindow: reader.IsDBNull(8) ? null : reader.GetInt32(8),
        Metadata: ParseMetadata(reader.GetString(9)),
        CreatedAt: readTime(reader, 10),
        UpdatedAt: readTime(reader, 11));

    /// <summary>A space from <c>id, name, description, default_profile_id, metadata, created_at, updated_at</c>.</summary>
    public static Space ReadSpace(DbDataReader reader, TimeReader readTime) => new(
        Id: reader.GetString(0),
        Name: reader.GetString(1),
        Description: reader.IsDBNull(2) ? null : reader.GetString(2),
        DefaultProfileId: reader.IsDBNull(3) ? null : reader.GetString(3),
        Metadata: ParseMetadata(reader.GetString(4)),
        CreatedAt: readTime(reader, 5),
        UpdatedAt: readTime(reader, 6));

    /// <summary>The record of <paramref name="message"/> as appended with <paramref name="id"/> under <paramref name="parentId"/> at <paramref name="createdAt"/>.</summary>
    public static ConversationMessage Stored(string id, string conversationId, string? parentId, NewMessage message, DateTimeOffset createdAt) => new(
        id, conversationId, parentId, message.Role, message.Content, message.ModelKey, message.InputTokens, message.OutputTokens, message.Status, createdAt,
        message.ToolCalls is { Count: > 0 } calls ? calls : null, message.ToolCallId, message.ToolName,
        message.Citations is { Count: > 0 } citations ? citations : null);

    /// <summary>An empty string means "none" for the optional text members.</summary>
    public static object OptionalText(string? value) => string.IsNullOrEmpty(value) ? DBNull.Value : value;

    public static object Optional<T>(T? value)
        where T : struct => value is { } present ? present : DBNull.Value;
}
