using System.Data.Common;
using Gateway.Core.Storage.Profiles;
using Gateway.Core.Storage.Spaces;
using static Gateway.Storage.Relational.DbCommands;

namespace Gateway.Storage.Relational;

/// <summary>The reads of a space's links and conversations, the same on both engines; each is one statement, so the space check and the rows agree.</summary>
internal sealed class SpaceLinks(IConnectionReads database, string profileColumns, Func<DbDataReader, ModelProfile> readProfile)
{
    /// <summary>One row: how many conversations space <c>@space</c> holds; no row when there is no such space.</summary>
    public const string CountInSpace = "SELECT (SELECT count(*) FROM conversations WHERE space_id = s.id) FROM spaces s WHERE s.id = @space";

    // No row when the space does not exist, one row of NULLs when it has no links.
    private readonly string _linkedProfiles = $"""
        SELECT {profileColumns} FROM (
            SELECT p.* FROM spaces s
            LEFT JOIN space_profiles l ON l.space_id = s.id
            LEFT JOIN model_profiles p ON p.id = l.profile_id
            WHERE s.id = @space) linked
        ORDER BY id
        """;

    public Task<IReadOnlyList<ModelProfile>> ListLinkedProfilesAsync(string spaceId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(spaceId);
        return database.ReadAsync<IReadOnlyList<ModelProfile>>(async (connection, ct) =>
        {
            var rows = await ListAsync(connection, null, _linkedProfiles, reader => reader.IsDBNull(0) ? null : readProfile(reader), ct, ("@space", spaceId))
                .ConfigureAwait(false);
            return rows.Count == 0 ? throw SpaceRules.SpaceNotFound(spaceId) : [.. rows.OfType<ModelProfile>()];
        }, cancellationToken);
    }

    public Task<int> CountConversationsAsync(string spaceId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(spaceId);
        return database.ReadAsync(async (connection, ct) =>
            await ScalarAsync(connection, null, CountInSpace, ct, ("@space", spaceId)).ConfigureAwait(false) is long count
                ? (int)count
                : throw SpaceRules.SpaceNotFound(spaceId),
            cancellationToken);
    }
}
