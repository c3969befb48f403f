using Gateway.Core.Errors;
using Gateway.Core.Storage.Conversations;

namespace Gateway.Core.Storage.Profiles;

/// <summary>
/// Model profiles. Every backend passes the same conformance suite. Each write checks its definition
/// with <see cref="ModelProfileRules.Validate"/> (<see cref="GatewayErrorCodes.InvalidRequest"/> naming
/// the field); a name another profile has is <see cref="GatewayErrorCodes.ProfileNameTaken"/>, decided
/// by the database so two racing writers cannot both win. Whether the profile's route exists and is
/// allowed is not the store's concern: <see cref="ModelProfileService"/> checks that before writing.
/// </summary>
public interface IModelProfileStore
{
    /// <summary>Creates a profile with a new sortable id.</summary>
    Task<ModelProfile> CreateProfileAsync(ModelProfileDefinition definition, CancellationToken cancellationToken = default);

    /// <summary>The profile, or <see langword="null"/> when there is none with this id.</summary>
    Task<ModelProfile?> GetProfileAsync(string profileId, CancellationToken cancellationToken = default);

    /// <summary>The profile with this name (case-insensitive), or <see langword="null"/>.</summary>
    Task<ModelProfile?> FindProfileByNameAsync(string name, CancellationToken cancellationToken = default);

    /// <summary>A page of profiles, oldest (by id) first, keyset-paginated.</summary>
    Task<Page<ModelProfile>> ListProfilesAsync(ProfileQuery query, CancellationToken cancellationToken = default);

    /// <summary>Replaces every field of the profile; <see langword="null"/> when it does not exist.</summary>
    Task<ModelProfile?> UpdateProfileAsync(string profileId, ModelProfileDefinition definition, CancellationToken cancellationToken = default);

    /// <summary>
    /// Deletes the profile; <see langword="false"/> when it did not exist. Its links to spaces go with
    /// it, and a space whose default it was is left with no default profile.
    /// </summary>
    Task<bool> DeleteProfileAsync(string profileId, CancellationToken cancellationToken = default);
}
