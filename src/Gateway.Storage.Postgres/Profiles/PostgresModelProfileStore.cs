using Gateway.Core.Storage.Conversations;
using Gateway.Core.Storage.Profiles;
using Gateway.Storage.Relational;
using Npgsql;
using static Gateway.Core.Storage.Conversations.ConversationStoreRules;
using static Gateway.Storage.Postgres.Conversations.PostgresRows;
using static Gateway.Storage.Postgres.Profiles.ProfileRows;
using static Gateway.Storage.Relational.DbCommands;
using static Gateway.Storage.Relational.StoredRows;

namespace Gateway.Storage.Postgres.Profiles;

/// <summary>
/// <see cref="IModelProfileStore"/> on PostgreSQL, safe for many gateway replicas writing at once.
/// Creating and replacing a profile are one statement each; names are unique by
/// <see cref="ModelProfileRules.NameKey"/>, enforced by the UNIQUE constraint on <c>name_key</c>, so of two
/// replicas racing for one name exactly one wins. Deleting a profile locks it first, then clears it as a
/// space's default and deletes it (its links go by the foreign key) in one transaction.
/// </summary>
public sealed class PostgresModelProfileStore : IModelProfileStore
{
    private const string NameUnique = "model_profiles_name_unique";

    private const string InsertProfile = $"""
        INSERT INTO model_profiles
            (id, name, name_key, model_key, system_prompt, temperature, top_p, max_tokens, stop, context_window, metadata, created_at, updated_at)
        VALUES (@id, @name, @nameKey, @model, @prompt::text, @temperature::real, @topP::real, @maxTokens::integer, @stop,
                @contextWindow::integer, @metadata::jsonb, @now, @now)
        RETURNING {ProfileColumns}
        """;

    // greatest(): replicas' clocks differ a little; updated_at never moves backwards.
    private const string UpdateProfile = $"""
        UPDATE model_profiles SET
            name = @name, name_key = @nameKey, model_key = @model, system_prompt = @prompt::text, temperature = @temperature::real,
            top_p = @topP::real, max_tokens = @maxTokens::integer, stop = @stop, context_window = @contextWindow::integer,
            metadata = @metadata::jsonb, updated_at = greatest(updated_at, @now)
        WHERE id = @id
        RETURNING {ProfileColumns}
        """;

    private const string ClearDefaults = """
        UPDATE spaces SET default_profile_id = NULL, updated_at = greatest(updated_at, @now) WHERE default_profile_id = @id
        """;

    private readonly PostgresDatabase _database;
    private readonly TimeProvider _time;
    private readonly KeyedRows<ModelProfile> _profiles;

    /// <summary>Creates the store over <paramref name="database"/> (migrated to the newest version).</summary>
    public PostgresModelProfileStore(PostgresDatabase database, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(database);
        _database = database;
        _time = time ?? TimeProvider.System;
        _profiles = new(database.Reads, "model_profiles", ProfileColumns, ReadProfile);
    }

    /// <inheritdoc />
    public Task<ModelProfile> CreateProfileAsync(ModelProfileDefinition definition, CancellationToken cancellationToken = default)
    {
        ModelProfileRules.Validate(definition);
        var metadata = StorableMetadataText(definition.Metadata);

        // One statement is its own transaction: nothing to lock, nothing to retry.
        return _database.ReadAsync(async (connection, ct) =>
            (await WriteProfileAsync(connection, InsertProfile, SortableId.Create(_time), definition, metadata, ct).ConfigureAwait(false))!,
            cancellationToken);
    }

    /// <inheritdoc />
    public Task<ModelProfile?> GetProfileAsync(string profileId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(profileId);
        return _profiles.FindAsync("id", profileId, cancellationToken);
    }

    /// <inheritdoc />
    public Task<ModelProfile?> FindProfileByNameAsync(string name, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(name);
        return ModelProfileRules.IsValidName(name)
            ? _profiles.FindAsync("name_key", ModelProfileRules.NameKey(name), cancellationToken)
            : Task.FromResult<ModelProfile?>(null);
    }

    /// <inheritdoc />
    public Task<Page<ModelProfile>> ListProfilesAsync(ProfileQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        CheckLimit(query.Limit);
        return _profiles.PageAsync(
            query.Cursor is null ? string.Empty : StoreCursor.ReadProfile(query.Cursor), query.Limit, profile => StoreCursor.ForProfile(profile.Id),
            cancellationToken);
    }

    /// <inheritdoc />
    public Task<ModelProfile?> UpdateProfileAsync(string profileId, ModelProfileDefinition definition, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(profileId);
        ModelProfileRules.Validate(definition);
        var metadata = StorableMetadataText(definition.Metadata);
        return _database.ReadAsync(
            (connection, ct) => WriteProfileAsync(connection, UpdateProfile, profileId, definition, metadata, ct), cancellationToken);
    }

    /// <inheritdoc />
    public Task<bool> DeleteProfileAsync(string profileId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(profileId);
        return _database.WriteAsync(async (connection, transaction, ct) =>
        {
            // The lock makes a space write that is about to link or default to this profile (it holds a KEY SHARE lock) finish first.
            if (await ScalarAsync(connection, transaction, "SELECT 1 FROM model_profiles WHERE id = @id FOR UPDATE", ct, ("id", profileId))
                .ConfigureAwait(false) is null)
            {
                return false;
            }

            await ExecuteAsync(connection, transaction, ClearDefaults, ct, ("id", profileId), ("now", ToStored(_time.GetUtcNow()))).ConfigureAwait(false);
            return await ExecuteAsync(connection, transaction, "DELETE FROM model_profiles WHERE id = @id", ct, ("id", profileId)).ConfigureAwait(false) > 0;
        }, cancellationToken);
    }

    // Runs the INSERT or UPDATE with every field of the definition; null when no row was written, name_taken for a name another profile has.
    private async Task<ModelProfile?> WriteProfileAsync(
        NpgsqlConnection connection, string sql, string id, ModelProfileDefinition definition, string metadata, CancellationToken cancellationToken)
    {
        try
        {
            var rows = await ListAsync(connection, null, sql, ReadProfile, cancellationToken,
                ("id", id), ("name", definition.Name), ("nameKey", ModelProfileRules.NameKey(definition.Name)), ("model", definition.ModelKey),
                ("prompt", definition.SystemPrompt), ("temperature", definition.Temperature), ("topP", definition.TopP),
                ("maxTokens", definition.MaxTokens), ("stop", (definition.Stop ?? []).ToArray()), ("contextWindow", definition.ContextWindow),
                ("metadata", metadata), ("now", ToStored(_time.GetUtcNow()))).ConfigureAwait(false);
            return rows.Count == 0 ? null : rows[0];
        }
        catch (PostgresException error) when (IsUniqueViolation(error, NameUnique))
        {
            throw ModelProfileRules.NameTaken(definition.Name);
        }
    }
}
