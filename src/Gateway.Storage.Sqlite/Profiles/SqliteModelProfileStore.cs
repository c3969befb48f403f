using Gateway.Core.Storage.Conversations;
using Gateway.Core.Storage.Profiles;
using Gateway.Storage.Relational;
using Microsoft.Data.Sqlite;
using static Gateway.Core.Storage.Conversations.ConversationStoreRules;
using static Gateway.Storage.Relational.DbCommands;
using static Gateway.Storage.Relational.StoredRows;
using static Gateway.Storage.Sqlite.Conversations.ConversationRows;
using static Gateway.Storage.Sqlite.Profiles.ProfileRows;

namespace Gateway.Storage.Sqlite.Profiles;

/// <summary>
/// <see cref="IModelProfileStore"/> on SQLite. Every write is one <c>BEGIN IMMEDIATE</c> transaction
/// (see <see cref="SqliteDatabase"/>). Names are unique by <see cref="ModelProfileRules.NameKey"/>, which
/// the UNIQUE index on <c>name_key</c> enforces, so two processes racing for one name cannot both win.
/// Deleting a profile clears it as a space's default and unlinks it in the same transaction.
/// </summary>
public sealed class SqliteModelProfileStore : IModelProfileStore
{
    private const string InsertProfile = """
        INSERT INTO model_profiles
            (id, name, name_key, model_key, system_prompt, temperature, top_p, max_tokens, stop, context_window, metadata, created_at, updated_at)
        VALUES ($id, $name, $nameKey, $model, $prompt, $temperature, $topP, $maxTokens, $stop, $contextWindow, $metadata, $now, $now)
        """;

    private const string UpdateProfile = """
        UPDATE model_profiles SET
            name = $name, name_key = $nameKey, model_key = $model, system_prompt = $prompt, temperature = $temperature, top_p = $topP,
            max_tokens = $maxTokens, stop = $stop, context_window = $contextWindow, metadata = $metadata, updated_at = $now
        WHERE id = $id
        """;

    // Links go by ON DELETE CASCADE; the defaults are cleared here so the spaces' updated_at moves too.
    private const string ClearDefaults = "UPDATE spaces SET default_profile_id = NULL, updated_at = $now WHERE default_profile_id = $id";

    private readonly SqliteDatabase _database;
    private readonly TimeProvider _time;
    private readonly KeyedRows<ModelProfile> _profiles;

    /// <summary>Creates the store over <paramref name="database"/> (migrated to the newest version).</summary>
    public SqliteModelProfileStore(SqliteDatabase database, TimeProvider? time = null)
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
        return _database.WriteAsync(async (connection, transaction, ct) =>
        {
            var id = SortableId.Create(_time);
            await WriteProfileAsync(connection, transaction, InsertProfile, id, definition, ct).ConfigureAwait(false);
            return await _profiles.FindAsync(connection, transaction, "id", id, ct).ConfigureAwait(false)
                ?? throw new InvalidOperationException("The profile just written could not be read back.");
        }, cancellationToken);
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
        return _database.WriteAsync(async (connection, transaction, ct) =>
            await WriteProfileAsync(connection, transaction, UpdateProfile, profileId, definition, ct).ConfigureAwait(false) == 0
                ? null
                : await _profiles.FindAsync(connection, transaction, "id", profileId, ct).ConfigureAwait(false),
            cancellationToken);
    }

    /// <inheritdoc />
    public Task<bool> DeleteProfileAsync(string profileId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(profileId);
        return _database.WriteAsync(async (connection, transaction, ct) =>
        {
            await ExecuteAsync(connection, transaction, ClearDefaults, ct, ("$id", profileId), ("$now", FormatTime(_time.GetUtcNow()))).ConfigureAwait(false);
            return await ExecuteAsync(connection, transaction, "DELETE FROM model_profiles WHERE id = $id", ct, ("$id", profileId)).ConfigureAwait(false) > 0;
        }, cancellationToken);
    }

    // Runs the INSERT or UPDATE with every field of the definition; a name another profile has is name_taken.
    private async Task<int> WriteProfileAsync(
        SqliteConnection connection, SqliteTransaction transaction, string sql, string id, ModelProfileDefinition definition, CancellationToken cancellationToken)
    {
        try
        {
            return await ExecuteAsync(connection, transaction, sql, cancellationToken,
                ("$id", id), ("$name", definition.Name), ("$nameKey", ModelProfileRules.NameKey(definition.Name)), ("$model", definition.ModelKey),
                ("$prompt", definition.SystemPrompt), ("$temperature", Optional(definition.Temperature)), ("$topP", Optional(definition.TopP)),
                ("$maxTokens", Optional(definition.MaxTokens)), ("$stop", StopText(definition.Stop)),
                ("$contextWindow", Optional(definition.ContextWindow)), ("$metadata", MetadataText(definition.Metadata)),
                ("$now", FormatTime(_time.GetUtcNow()))).ConfigureAwait(false);
        }
        catch (SqliteException error) when (IsUniqueViolation(error, "model_profiles.name_key"))
        {
            throw ModelProfileRules.NameTaken(definition.Name);
        }
    }
}
