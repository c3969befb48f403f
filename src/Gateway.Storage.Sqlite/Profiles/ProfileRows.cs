using System.Data.Common;
using System.Text;
using System.Text.Json;
using Gateway.Core.Storage.Profiles;
using Gateway.Core.Storage.Spaces;
using Gateway.Storage.Relational;
using Microsoft.Data.Sqlite;
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

    public static ModelProfile ReadProfile(DbDataReader reader) =>
        StoredRows.ReadProfile(reader, ReadTime, static (row, ordinal) => ParseStop(row.GetString(ordinal)));

    public static Space ReadSpace(DbDataReader reader) => StoredRows.ReadSpace(reader, ReadTime);

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
