using Gateway.Core.Errors;

namespace Gateway.Core.Storage.Spaces;

/// <summary>
/// Space operations whose answer needs more than one store call: unlinking a profile that is not linked
/// says which id is unknown, the space (<see cref="GatewayErrorCodes.SpaceNotFound"/>) or the link
/// (<see cref="GatewayErrorCodes.ProfileNotFound"/>), both 404.
/// </summary>
/// <param name="store">The spaces.</param>
public sealed class SpaceService(ISpaceStore store)
{
    /// <summary>The store behind the service, for everything that is one store call.</summary>
    public ISpaceStore Store { get; } = store ?? throw new ArgumentNullException(nameof(store));

    /// <summary>Unlinks a profile from a space.</summary>
    /// <exception cref="GatewayException">The space does not exist, or the profile is not linked to it.</exception>
    public async Task UnlinkProfileAsync(string spaceId, string profileId, CancellationToken cancellationToken = default)
    {
        if (await Store.UnlinkProfileAsync(spaceId, profileId, cancellationToken).ConfigureAwait(false))
        {
            return;
        }

        _ = await Store.GetSpaceAsync(spaceId, cancellationToken).ConfigureAwait(false) ?? throw SpaceRules.SpaceNotFound(spaceId);
        throw new GatewayException(
            GatewayErrorKind.NotFound,
            GatewayErrorCodes.ProfileNotFound,
            $"profileId: no profile with the id '{profileId}' is linked to space '{spaceId}'.",
            new Dictionary<string, object?> { ["spaceId"] = spaceId, ["profileId"] = profileId, ["field"] = "profileId" });
    }
}
