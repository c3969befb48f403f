using Gateway.Core.Storage.Conversations;
using Gateway.Core.Storage.Profiles;
using Gateway.Core.Storage.Spaces;
using Gateway.Storage.Relational;
using Microsoft.Data.Sqlite;
using static Gateway.Core.Storage.Conversations.ConversationStoreRules;
using static Gateway.Storage.Relational.DbCommands;
using static Gateway.Storage.Relational.StoredRows;
using static Gateway.Storage.Sqlite.Conversations.ConversationRows;
using static Gateway.Storage.Sqlite.Profiles.ProfileRows;

namespace Gateway.Storage.Sqlite.Spaces;

/// <summary>
/// <see cref="ISpaceStore"/> on SQLite. Every write is one <c>BEGIN IMMEDIATE</c> transaction (see
/// <see cref="SqliteDatabase"/>): checking that a profile exists and linking it cannot be split by
/// another writer, and deleting a space with its conversations, their messages and their search entries
/// (by the <c>messages_fts_delete</c> trigger, as a conversation delete does) is all or nothing. Names
/// are unique by <see cref="ModelProfileRules.NameKey"/>, enforced by the UNIQUE index on <c>name_key</c>.
/// </summary>
public sealed class SqliteSpaceStore : ISpaceStore
{
    private const string InsertSpace = """
        INSERT INTO spaces (id, name, name_key, description, default_profile_id, metadata, created_at, updated_at)
        VALUES ($id, $name, $nameKey, $description, $default, $metadata, $now, $now)
        """;

    private const string UpdateSpace = """
        UPDATE spaces SET
            name = $name, name_key = $nameKey, description = $description, default_profile_id = $default, metadata = $metadata, updated_at = $now
        WHERE id = $id
        """;

    private const string Link = "INSERT INTO space_profiles (space_id, profile_id) VALUES ($space, $profile) ON CONFLICT DO NOTHING";

    private readonly SqliteDatabase _database;
    private readonly TimeProvider _time;
    private readonly KeyedRows<Space> _spaces;
    private readonly SpaceLinks _links;

    /// <summary>Creates the store over <paramref name="database"/> (migrated to the newest version).</summary>
    public SqliteSpaceStore(SqliteDatabase database, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(database);
        _database = database;
        _time = time ?? TimeProvider.System;
        _spaces = new(database.Reads, "spaces", SpaceColumns, ReadSpace);
        _links = new(database.Reads, ProfileColumns, ReadProfile);
    }

    /// <inheritdoc />
    public Task<Space> CreateSpaceAsync(SpaceDefinition definition, CancellationToken cancellationToken = default)
    {
        SpaceRules.Validate(definition);
        return _database.WriteAsync(async (connection, transaction, ct) =>
        {
            var id = SortableId.Create(_time);
            await WriteSpaceAsync(connection, transaction, InsertSpace, id, definition, ct).ConfigureAwait(false);
            return await _spaces.FindAsync(connection, transaction, "id", id, ct).ConfigureAwait(false)
                ?? throw new InvalidOperationException("The space just written could not be read back.");
        }, cancellationToken);
    }

    /// <inheritdoc />
    public Task<Space?> GetSpaceAsync(string spaceId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(spaceId);
        return _spaces.FindAsync("id", spaceId, cancellationToken);
    }

    /// <inheritdoc />
    public Task<Page<Space>> ListSpacesAsync(SpaceQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        CheckLimit(query.Limit);
        return _spaces.PageAsync(
            query.Cursor is null ? string.Empty : StoreCursor.ReadSpace(query.Cursor), query.Limit, space => StoreCursor.ForSpace(space.Id), cancellationToken);
    }

    /// <inheritdoc />
    public Task<Space?> UpdateSpaceAsync(string spaceId, SpaceDefinition definition, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(spaceId);
        SpaceRules.Validate(definition);
        return _database.WriteAsync(async (connection, transaction, ct) =>
        {
            if (await ScalarAsync(connection, transaction, "SELECT 1 FROM spaces WHERE id = $id", ct, ("$id", spaceId)).ConfigureAwait(false) is null)
            {
                return null;
            }

            await WriteSpaceAsync(connection, transaction, UpdateSpace, spaceId, definition, ct).ConfigureAwait(false);
            return await _spaces.FindAsync(connection, transaction, "id", spaceId, ct).ConfigureAwait(false);
        }, cancellationToken);
    }

    /// <inheritdoc />
    public Task<bool> DeleteSpaceAsync(string spaceId, SpaceDeletion deletion, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(spaceId);
        return _database.WriteAsync(async (connection, transaction, ct) =>
        {
            if (await ScalarAsync(connection, transaction, SpaceLinks.CountInSpace, ct, ("@space", spaceId)).ConfigureAwait(false) is not long count)
            {
                return false;
            }

            SpaceRules.CheckDeletion(spaceId, deletion, count);
            if (deletion == SpaceDeletion.DeleteConversations)
            {
                // Messages go by ON DELETE CASCADE, their search entries by the messages_fts_delete trigger.
                await ExecuteAsync(connection, transaction, "DELETE FROM conversations WHERE space_id = $space", ct, ("$space", spaceId)).ConfigureAwait(false);
            }
            else if (deletion == SpaceDeletion.DetachConversations)
            {
                await ExecuteAsync(connection, transaction, "UPDATE conversations SET space_id = NULL, updated_at = $now WHERE space_id = $space", ct,
                    ("$space", spaceId), ("$now", FormatTime(_time.GetUtcNow()))).ConfigureAwait(false);
            }

            // Its links go by ON DELETE CASCADE.
            return await ExecuteAsync(connection, transaction, "DELETE FROM spaces WHERE id = $id", ct, ("$id", spaceId)).ConfigureAwait(false) > 0;
        }, cancellationToken);
    }

    /// <inheritdoc />
    public Task<bool> LinkProfileAsync(string spaceId, string profileId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(spaceId);
        ArgumentNullException.ThrowIfNull(profileId);
        return _database.WriteAsync(async (connection, transaction, ct) =>
        {
            if (await ScalarAsync(connection, transaction, "SELECT 1 FROM spaces WHERE id = $id", ct, ("$id", spaceId)).ConfigureAwait(false) is null)
            {
                throw SpaceRules.SpaceNotFound(spaceId);
            }

            return await LinkAsync(connection, transaction, spaceId, profileId, "profileId", ct).ConfigureAwait(false);
        }, cancellationToken);
    }

    /// <inheritdoc />
    public Task<bool> UnlinkProfileAsync(string spaceId, string profileId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(spaceId);
        ArgumentNullException.ThrowIfNull(profileId);
        return _database.WriteAsync(async (connection, transaction, ct) =>
        {
            if (await ExecuteAsync(connection, transaction, "DELETE FROM space_profiles WHERE space_id = $space AND profile_id = $profile", ct,
                ("$space", spaceId), ("$profile", profileId)).ConfigureAwait(false) == 0)
            {
                return false;
            }

            await ExecuteAsync(connection, transaction, "UPDATE spaces SET default_profile_id = NULL, updated_at = $now WHERE id = $space AND default_profile_id = $profile", ct,
                ("$space", spaceId), ("$profile", profileId), ("$now", FormatTime(_time.GetUtcNow()))).ConfigureAwait(false);
            return true;
        }, cancellationToken);
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<ModelProfile>> ListLinkedProfilesAsync(string spaceId, CancellationToken cancellationToken = default) =>
        _links.ListLinkedProfilesAsync(spaceId, cancellationToken);

    /// <inheritdoc />
    public Task<int> CountConversationsAsync(string spaceId, CancellationToken cancellationToken = default) =>
        _links.CountConversationsAsync(spaceId, cancellationToken);

    // Links the profile (when it exists: else profile_not_found naming the field it came from); false when it was linked already.
    private static async Task<bool> LinkAsync(
        SqliteConnection connection, SqliteTransaction transaction, string spaceId, string profileId, string field, CancellationToken cancellationToken)
    {
        if (await ScalarAsync(connection, transaction, "SELECT 1 FROM model_profiles WHERE id = $id", cancellationToken, ("$id", profileId)).ConfigureAwait(false) is null)
        {
            throw ModelProfileRules.ProfileNotFound(profileId, field);
        }

        return await ExecuteAsync(connection, transaction, Link, cancellationToken, ("$space", spaceId), ("$profile", profileId)).ConfigureAwait(false) > 0;
    }

    // Runs the INSERT or UPDATE (of a space that exists) with every field of the definition and links its default profile.
    private async Task WriteSpaceAsync(
        SqliteConnection connection, SqliteTransaction transaction, string sql, string id, SpaceDefinition definition, CancellationToken cancellationToken)
    {
        if (definition.DefaultProfileId is { } profileId
            && await ScalarAsync(connection, transaction, "SELECT 1 FROM model_profiles WHERE id = $id", cancellationToken, ("$id", profileId)).ConfigureAwait(false) is null)
        {
            throw ModelProfileRules.ProfileNotFound(profileId, "defaultProfileId");
        }

        try
        {
            await ExecuteAsync(connection, transaction, sql, cancellationToken,
                ("$id", id), ("$name", definition.Name), ("$nameKey", ModelProfileRules.NameKey(definition.Name)),
                ("$description", definition.Description), ("$default", definition.DefaultProfileId),
                ("$metadata", MetadataText(definition.Metadata)), ("$now", FormatTime(_time.GetUtcNow()))).ConfigureAwait(false);
        }
        catch (SqliteException error) when (IsUniqueViolation(error, "spaces.name_key"))
        {
            throw SpaceRules.NameTaken(definition.Name);
        }

        if (definition.DefaultProfileId is { } linked)
        {
            await LinkAsync(connection, transaction, id, linked, "defaultProfileId", cancellationToken).ConfigureAwait(false);
        }
    }
}
