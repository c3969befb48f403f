using System.Data.Common;
using Gateway.Core.Storage.Profiles;
using Gateway.Core.Storage.Spaces;
using Npgsql;
using static Gateway.Core.Storage.Conversations.ConversationStoreRules;

namespace Gateway.Storage.Postgres.Profiles;

/// <summary>
/// Maps profile and space rows to records: stop sequences are a <c>text[]</c>, metadata <c>jsonb</c>
/// read as text, timestamps <c>timestamptz</c> cut to the microsecond as in
/// <see cref="Conversations.PostgresRows"/>.
/// </summary>
internal static class ProfileRows
{
    /// <summary>The columns <see cref="ReadProfile"/> expects, in order.</summary>
    public const string ProfileColumns =
        "id, name, model_key, system_prompt, temperature, top_p, max_tokens, stop, context_window, metadata::text, created_at, updated_at";

    /// <summary>The columns <see cref="ReadSpace"/> expects, in order.</summary>
    public const string SpaceColumns = "id, name, description, default_profile_id, metadata::text, created_at, updated_at";

    public static ModelProfile ReadProfile(DbDataReader reader) => new(
        Id: reader.GetString(0),
        Name: reader.GetString(1),
        ModelKey: reader.GetString(2),
        SystemPrompt: reader.IsDBNull(3) ? null : reader.GetString(3),
        Temperature: reader.IsDBNull(4) ? null : reader.GetFloat(4),
        TopP: reader.IsDBNull(5) ? null : reader.GetFloat(5),
        MaxTokens: reader.IsDBNull(6) ? null : reader.GetInt32(6),
        Stop: reader.GetFieldValue<string[]>(7),
        ContextWindow: reader.IsDBNull(8) ? null : reader.GetInt32(8),
        Metadata: ParseMetadata(reader.GetString(9)),
        CreatedAt: reader.GetFieldValue<DateTimeOffset>(10),
        UpdatedAt: reader.GetFieldValue<DateTimeOffset>(11));

    public static Space ReadSpace(DbDataReader reader) => new(
        Id: reader.GetString(0),
        Name: reader.GetString(1),
        Description: reader.IsDBNull(2) ? null : reader.GetString(2),
        DefaultProfileId: reader.IsDBNull(3) ? null : reader.GetString(3),
        Metadata: ParseMetadata(reader.GetString(4)),
        CreatedAt: reader.GetFieldValue<DateTimeOffset>(5),
        UpdatedAt: reader.GetFieldValue<DateTimeOffset>(6));

    /// <summary>Whether <paramref name="error"/> is the UNIQUE constraint <paramref name="constraint"/> refusing a row.</summary>
    public static bool IsUniqueViolation(PostgresException error, string constraint) =>
        error.SqlState == PostgresErrorCodes.UniqueViolation && error.ConstraintName == constraint;
}
