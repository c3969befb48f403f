using System.Data.Common;
using System.Text;
using System.Text.Json;
using Gateway.Core.Storage.Profiles;
using Gateway.Core.Storage.Spaces;
using Microsoft.Data.Sqlite;
using static Gateway.Core.Storage.Conversations.ConversationStoreRules;
using static Gateway.Storage.Sqlite.Conversations.ConversationRows;

namespace Gateway.Storage.Sqlite.Profiles;

/// <summary>
/// Maps profile and space rows to records. Stop sequences are stored as a JSON array of strings,
/// timestamps as the fixed-width UTC text of <see cref="Conversations.ConversationRows"/>.
/// </summary>
internal static class ProfileRows
{
    /// <summary>The columns <see cref="ReadProfile"/> expects, in order.</summary>
    public const string ProfileColumns =
        "id, name, model_key, system_prompt, temperature, top_p, max_tokens, stop, context_window, metadata, created_at, updated_at";

    /// <summary>The columns <see cref="ReadSpace"/> expects, in order.</summary>
    public const string SpaceColumns = "id, name, description, default_profile_id, metadata, created_at, updated_at";

    private const int SqliteConstraintUnique = 2067;

    public static ModelProfile ReadProfile(DbDataReader reader) => new(
        Id: reader.GetString(0),
        Name: reader.GetString(1),
        ModelKey: reader.GetString(2),
        SystemPrompt: reader.IsDBNull(3) ? null : reader.GetString(3),
        Temperature: reader.IsDBNull(4) ? null : (float)reader.GetDouble(4),
        TopP: reader.IsDBNull(5) ? null : (float)reader.GetDouble(5),
        MaxTokens: reader.IsDBNull(6) ? null : reader.GetInt32(6),
        Stop: ParseStop(reader.GetString(7)),
        ContextWindow: reader.IsDBNull(8) ? null : reader.GetInt32(8),
        Metadata: ParseMetadata(reader.GetString(9)),
        CreatedAt: ParseTime(reader.GetString(10)),
        UpdatedAt: ParseTime(reader.GetString(11)));

    public static Space ReadSpace(DbDataReader reader) => new(
        Id: reader.GetString(0),
        Name: reader.GetString(1),
        Description: reader.IsDBNull(2) ? null : reader.GetString(2),
        DefaultProfileId: reader.IsDBNull(3) ? null : reader.GetString(3),
        Metadata: ParseMetadata(reader.GetString(4)),
        CreatedAt: ParseTime(reader.GetString(5)),
        UpdatedAt: ParseTime(reader.GetString(6)));

    /// <summary>The stop sequences as a JSON array.</summary>
    public static string StopText(IReadOnlyList<string>? stop)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartArray();
            foreach (var sequence in stop ?? [])
            {
                writer.WriteStringValue(sequence);
            }

            writer.WriteEndArray();
        }

        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    public static IReadOnlyList<string> ParseStop(string text)
    {
        using var document = JsonDocument.Parse(text);
        return [.. document.RootElement.EnumerateArray().Select(element => element.GetString() ?? string.Empty)];
    }

    /// <summary>Whether <paramref name="error"/> is the UNIQUE index on <paramref name="column"/> (<c>table.column</c>) refusing a row.</summary>
    public static bool IsUniqueViolation(SqliteException error, string column) =>
        error.SqliteExtendedErrorCode == SqliteConstraintUnique && error.Message.Contains(column, StringComparison.Ordinal);
}
