using Gateway.Core.Storage.Conversations;
using Gateway.Core.Storage.Profiles;
using Gateway.Core.Storage.Spaces;
using Gateway.Storage.Relational;
using Npgsql;
using static Gateway.Core.Storage.Conversations.ConversationStoreRules;
using static Gateway.Storage.Postgres.Conversations.PostgresRows;
using static Gateway.Storage.Postgres.Profiles.ProfileRows;
using static Gateway.Storage.Relational.DbCommands;
using static Gateway.Storage.Relational.StoredRows;

namespace Gateway.Storage.Postgres.Spaces;

/// <summary>
/// <see cref="ISpaceStore"/> on PostgreSQL, safe for many gateway replicas writing at once. A write
/// that changes a space locks its row first (<c>FOR UPDATE</c>); one that links a profile holds a
/// <c>KEY SHARE</c> lock on the profile, so a profile deleted at the same moment is either gone before
/// the check (<c>profile_not_found</c>) or deleted after the link commits (and takes the link with it).
/// Deleting a space with its conversations removes their messages and, as the search vector is a column
/// of each message, their search entries too. Names are unique by <see cref="ModelProfileRules.NameKey"/>,
/// enforced by the UNIQUE constraint on <c>name_key</c>.
/// </summary>
public sealed class PostgresSpaceStore : ISpaceStore
{
    private const string NameUnique = "spaces_name_unique";

    private const string LockSpace = "SELECT 1 FROM spaces WHERE id = @id FOR UPDATE";

    private const string InsertSpace = $"""
        INSERT INTO spaces (id, name, name_key, description, default_profile_id, metadata, created_at, updated_at)
        VALUES (@id, @name, @nameKey, @description::text, @default::text, @metadata::jsonb, @now, @now)
        RETURNING {SpaceColumns}
        """;

    // greatest(): replicas' clocks differ a little; updated_at never moves backwards.
    private const string UpdateSpace = $"""
        UPDATE spaces SET
            name = @name, name_key = @nameKey, description = @description::text, default_profile_id = @default::text,
            metadata = @metadata::jsonb, updated_at = greatest(updated_at, @now)
        WHERE id = @id
        RETURNING {SpaceColumns}
        """;

    private const string Link = "INSERT INTO space_profiles (space_id, profile_id) VALUES (@space, @profile) ON CONFLICT DO NOTHING";

    private readonly PostgresDatabase _database;
    private readonly TimeProvider _time;
    private readonly KeyedRows<Space> _spaces;
    private readonly SpaceLinks _links;

    /// <summary>Creates the store over <paramref name="database"/> (migrated to the newest version).</summary>
    public PostgresSpaceStore(PostgresDatabase database, TimeProvider? time = null)
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
        var metadata = StorableMetadataText(definition.Metadata);
        return _database.WriteAsync(async (connection, transaction, ct) =>
            await WriteSpaceAsync(connection, transaction, InsertSpace, SortableId.Create(_time), definition, metadata, ct).ConfigureAwait(false),
            cancellationToken);
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
        var metadata = StorableMetadataText(definition.Metadata);
        return _database.WriteAsync(async (connection, transaction, ct) =>
            await ScalarAsync(connection, transaction, LockSpace, ct, ("id", spaceId)).ConfigureAwait(false) is null
                ? null
                : await WriteSpaceAsync(connection, transaction, UpdateSpace, spaceId, definition, metadata, ct).ConfigureAwait(false),
            cancellationToken);
    }

    /// <inheritdoc />
    public Task<bool> DeleteSpaceAsync(string spaceId, SpaceDeletion deletion, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(spaceId);
        return _database.WriteAsync(async (connection, transaction, ct) =>
        {
            if (await ScalarAsync(connection, transaction, LockSpace, ct, ("id", spaceId)).ConfigureAwait(false) is null)
            {
                return false;
            }

            var count = (long)(await ScalarAsync(connection, transaction, "SELECT count(*) FROM conversations WHERE space_id = @space", ct, ("space", spaceId))
                .ConfigureAwait(false))!;
            SpaceRules.CheckDeletion(spaceId, deletion, count);
            if (deletion == SpaceDeletion.DeleteConversations)
            {
                // Messages go by ON DELETE CASCADE; their search vectors are columns of their rows, so they go too.
                await ExecuteAsync(connection, transaction, "DELETE FROM conversations WHERE space_id = @space", ct, ("space", spaceId)).ConfigureAwait(false);
            }
            else if (deletion == SpaceDeletion.DetachConversations)
            {
                await ExecuteAsync(connection, transaction,
                    "UPDATE conversations SET space_id = NULL, updated_at = greatest(updated_at, @now) WHERE space_id = @space", ct,
                    ("space", spaceId), ("now", ToStored(_time.GetUtcNow()))).ConfigureAwait(false);
            }

            // Its links go by ON DELETE CASCADE.
            return await ExecuteAsync(connection, transaction, "DELETE FROM spaces WHERE id = @id", ct, ("id", spaceId)).ConfigureAwait(false) > 0;
        }, cancellationToken);
    }

    /// <inheritdoc />
    public Task<bool> LinkProfileAsync(string spaceId, string profileId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(spaceId);
        ArgumentNullException.ThrowIfNull(profileId);
        return _database.WriteAsync(async (connection, transaction, ct) =>
        {
            if (await ScalarAsync(connection, transaction, "SELECT 1 FROM spaces WHERE id = @id FOR KEY SHARE", ct, ("id", spaceId)).ConfigureAwait(false) is null)
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
            // The space first, as every space write locks it: a link being made as the default waits for us, or we for it.
            if (await ScalarAsync(connection, transaction, LockSpace, ct, ("id", spaceId)).ConfigureAwait(false) is null
                || await ExecuteAsync(connection, transaction, "DELETE FROM space_profiles WHERE space_id = @space AND profile_id = @profile", ct,
                    ("space", spaceId), ("profile", profileId)).ConfigureAwait(false) == 0)
            {
                return false;
            }

            await ExecuteAsync(connection, transaction,
                "UPDATE spaces SET default_profile_id = NULL, updated_at = greatest(updated_at, @now) WHERE id = @space AND default_profile_id = @profile", ct,
                ("space", spaceId), ("profile", profileId), ("now", ToStored(_time.GetUtcNow()))).ConfigureAwait(false);
            return true;
        }, cancellationToken);
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<ModelProfile>> ListLinkedProfilesAsync(string spaceId, CancellationToken cancellationToken = default) =>
        _links.ListLinkedProfilesAsync(spaceId, cancellationToken);

    /// <inheritdoc />
    public Task<int> CountConversationsAsync(string spaceId, CancellationToken cancellationToken = default) =>
        _links.CountConversationsAsync(spaceId, cancellationToken);

    // Links the profile, holding it against a concurrent delete (else profile_not_found naming the field it came from); false when it was linked already.
    private static async Task<bool> LinkAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, string spaceId, string profileId, string field, CancellationToken cancellationToken)
    {
        await HoldProfileAsync(connection, transaction, profileId, field, cancellationToken).ConfigureAwait(false);
        return await ExecuteAsync(connection, transaction, Link, cancellationToken, ("space", spaceId), ("profile", profileId)).ConfigureAwait(false) > 0;
    }

    private static async Task HoldProfileAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, string profileId, string field, CancellationToken cancellationToken)
    {
        if (await ScalarAsync(connection, transaction, "SELECT 1 FROM model_profiles WHERE id = @id FOR KEY SHARE", cancellationToken, ("id", profileId))
            .ConfigureAwait(false) is null)
        {
            throw ModelProfileRules.ProfileNotFound(profileId, field);
        }
    }

    // Runs the INSERT or UPDATE (of a space that exists) with every field of the definition and links its default profile.
    private async Task<Space> WriteSpaceAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, string sql, string id, SpaceDefinition definition, string metadata,
        CancellationToken cancellationToken)
    {
        if (definition.DefaultProfileId is { } profileId)
        {
            await HoldProfileAsync(connection, transaction, profileId, "defaultProfileId", cancellationToken).ConfigureAwait(false);
        }

        List<Space> rows;
        try
        {
            rows = await ListAsync(connection, transaction, sql, ReadSpace, cancellationToken,
                ("id", id), ("name", definition.Name), ("nameKey", ModelProfileRules.NameKey(definition.Name)),
                ("description", definition.Description), ("default", definition.DefaultProfileId),
                ("metadata", metadata), ("now", ToStored(_time.GetUtcNow()))).ConfigureAwait(false);
        }
        catch (PostgresException error) when (IsUniqueViolation(error, NameUnique))
        {
            throw SpaceRules.NameTaken(definition.Name);
        }

        if (definition.DefaultProfileId is { } linked)
        {
            await ExecuteAsync(connection, transaction, Link, cancellationToken, ("space", id), ("profile", linked)).ConfigureAwait(false);
        }

        return rows[0];
    }
}
