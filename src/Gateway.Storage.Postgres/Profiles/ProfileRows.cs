using System.Data.Common;
using Gateway.Core.Storage.Profiles;
using Gateway.Core.Storage.Spaces;
using Gateway.Storage.Relational;
using Npgsql;
using static Gateway.Storage.Postgres.Conversations.PostgresRows;

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

    public static ModelProfile ReadProfile(DbDataReader reader) =>
        StoredRows.ReadProfile(reader, ReadTime, static (row, ordinal) => row.GetFieldValue<string[]>(ordinal));

    public static Space ReadSpace(DbDataReader reader) => StoredRows.ReadSpace(reader, ReadTime);

    /// <summary>Whether <paramref name="error"/> is the UNIQUE constraint <paramref name="constraint"/> refusing a row.</summary>
    public static bool IsUniqueViolation(PostgresException error, string constraint) =>
        error.SqlState == PostgresErrorCodes.UniqueViolation && error.ConstraintName == constraint;
}
