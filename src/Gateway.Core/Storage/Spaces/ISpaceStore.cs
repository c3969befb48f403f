using Gateway.Core.Errors;
using Gateway.Core.Storage.Conversations;
using Gateway.Core.Storage.Profiles;

namespace Gateway.Core.Storage.Spaces;

/// <summary>
/// Spaces and their links to model profiles. Every backend passes the same conformance suite. Writes
/// check their definition with <see cref="SpaceRules.Validate"/>; a name another space has is
/// <see cref="GatewayErrorCodes.SpaceNameTaken"/>; a <see cref="SpaceDefinition.DefaultProfileId"/> or
/// linked profile that does not exist is <see cref="GatewayErrorCodes.ProfileNotFound"/>; a space id
/// that does not exist is <see cref="GatewayErrorCodes.SpaceNotFound"/> where the method cannot answer
/// <see langword="null"/> or <see langword="false"/>.
/// </summary>
public interface ISpaceStore
{
    /// <summary>Creates a space with a new sortable id; its default profile, if any, is linked too.</summary>
    Task<Space> CreateSpaceAsync(SpaceDefinition definition, CancellationToken cancellationToken = default);

    /// <summary>The space, or <see langword="null"/> when there is none with this id.</summary>
    Task<Space?> GetSpaceAsync(string spaceId, CancellationToken cancellationToken = default);

    /// <summary>A page of spaces, oldest (by id) first, keyset-paginated.</summary>
    Task<Page<Space>> ListSpacesAsync(SpaceQuery query, CancellationToken cancellationToken = default);

    /// <summary>
    /// Replaces every field of the space (its default profile, if any, is linked too);
    /// <see langword="null"/> when it does not exist. Links are kept.
    /// </summary>
    Task<Space?> UpdateSpaceAsync(string spaceId, SpaceDefinition definition, CancellationToken cancellationToken = default);

    /// <summary>
    /// Deletes the space and its profile links; <see langword="false"/> when it did not exist. What
    /// happens to its conversations is <paramref name="deletion"/>; with
    /// <see cref="SpaceDeletion.RefuseIfConversations"/> and conversations present nothing changes and
    /// <see cref="GatewayErrorCodes.SpaceNotEmpty"/> is thrown with their count. All in one transaction.
    /// </summary>
    Task<bool> DeleteSpaceAsync(string spaceId, SpaceDeletion deletion, CancellationToken cancellationToken = default);

    /// <summary>Links a profile to the space; <see langword="false"/> when it was linked already.</summary>
    Task<bool> LinkProfileAsync(string spaceId, string profileId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Unlinks a profile; <see langword="false"/> when it was not linked. Unlinking the default profile
    /// leaves the space with no default.
    /// </summary>
    Task<bool> UnlinkProfileAsync(string spaceId, string profileId, CancellationToken cancellationToken = default);

    /// <summary>The profiles linked to the space, oldest (by id) first.</summary>
    Task<IReadOnlyList<ModelProfile>> ListLinkedProfilesAsync(string spaceId, CancellationToken cancellationToken = default);

    /// <summary>How many conversations (archived or not) belong to the space.</summary>
    Task<int> CountConversationsAsync(string spaceId, CancellationToken cancellationToken = default);
}
