using System.Runtime.CompilerServices;
using Gateway.Core.Errors;
using Gateway.Core.Routing;
using Gateway.Core.Storage.Conversations;
using Gateway.Core.Storage.Profiles;
using Gateway.Core.Storage.Spaces;

namespace Gateway.Core.Chat;

/// <summary>
/// Decides what a chat turn runs with, in this order: the request's <c>modelKey</c>; the request's
/// profile; the space's default profile, or its only linked profile (several and no default is a
/// 409 <see cref="GatewayErrorCodes.ProfileRequired"/> listing them); then the router's own choice
/// (<c>DEFAULT_MODEL_KEY</c>, the only route). A profile's route passes the allowlist like any other,
/// so a profile whose model became disallowed answers 403.
/// </summary>
public sealed class ChatTargetResolver
{
    /// <summary>The prefix that names a profile in an OpenAI-compatible request's <c>model</c>.</summary>
    public const string ProfileModelPrefix = "profile:";

    private readonly IModelProfileStore? _profiles;
    private readonly ISpaceStore? _spaces;

    /// <summary>Creates the resolver; normally resolved from DI.</summary>
    /// <param name="router">Resolves routes and enforces the allowlist.</param>
    /// <param name="profiles">Model profiles, when a storage package is registered.</param>
    /// <param name="spaces">Spaces, when a storage package is registered.</param>
    public ChatTargetResolver(ModelRouter router, IModelProfileStore? profiles = null, ISpaceStore? spaces = null)
    {
        Router = router;
        _profiles = profiles;
        _spaces = spaces;
    }

    /// <summary>Resolves routes and enforces the allowlist.</summary>
    public ModelRouter Router { get; }

    /// <summary>Resolves the target of a <c>/api/chat</c> request.</summary>
    /// <param name="modelKey">The route key the request names, if any; it wins over any profile's.</param>
    /// <param name="profileId">The profile the request names, if any.</param>
    /// <param name="spaceId">The space the turn belongs to, if any.</param>
    /// <param name="spaceMustExist">
    /// Whether a space that does not exist (or spaces not being stored at all) is an error; when
    /// <see langword="false"/> such a space simply names no profile.
    /// </param>
    /// <param name="cancellationToken">Cancels the store reads.</param>
    /// <exception cref="GatewayException">A named profile or space does not exist, the space's profile is ambiguous, or routing refused.</exception>
    public async Task<ChatTarget> ResolveAsync(
        string? modelKey, string? profileId, string? spaceId, bool spaceMustExist = true, CancellationToken cancellationToken = default)
    {
        ModelProfile? profile = null;
        if (profileId is not null)
        {
            profile = await Profiles("profileId").GetProfileAsync(profileId, cancellationToken).ConfigureAwait(false)
                ?? throw ModelProfileRules.ProfileNotFound(profileId);
        }

        if (spaceId is not null && (spaceMustExist || _spaces is not null))
        {
            var space = await Spaces().GetSpaceAsync(spaceId, cancellationToken).ConfigureAwait(false);
            if (space is null && spaceMustExist)
            {
                throw SpaceRules.SpaceNotFound(spaceId);
            }

            if (space is not null && profile is null && string.IsNullOrWhiteSpace(modelKey))
            {
                profile = await SpaceProfileAsync(space, cancellationToken).ConfigureAwait(false);
            }
        }

        var route = Router.Resolve(string.IsNullOrWhiteSpace(modelKey) ? profile?.ModelKey : modelKey);
        return new ChatTarget(route, profile);
    }

    /// <summary>
    /// Resolves the <c>model</c> of an OpenAI-compatible request: <c>profile:&lt;name&gt;</c> names a profile,
    /// anything else a route key or an upstream model id (see <see cref="ModelRouter.ResolveModelName"/>).
    /// </summary>
    /// <exception cref="GatewayException">No profile has the name, or routing refused.</exception>
    public async Task<ChatTarget> ResolveModelNameAsync(string? model, CancellationToken cancellationToken = default)
    {
        if (model is null || !model.StartsWith(ProfileModelPrefix, StringComparison.OrdinalIgnoreCase))
        {
            return new ChatTarget(Router.ResolveModelName(model), null);
        }

        var name = model[ProfileModelPrefix.Length..];
        var profile = await Profiles("model").FindProfileByNameAsync(name, cancellationToken).ConfigureAwait(false)
            ?? throw ModelProfileRules.ProfileNameNotFound(name);
        return new ChatTarget(Router.Resolve(profile.ModelKey), profile);
    }

    /// <summary>
    /// The stored profiles an OpenAI-compatible request can name as <c>profile:&lt;name&gt;</c>, oldest first:
    /// those whose route exists and is allowed. None when profiles are not stored.
    /// </summary>
    public async IAsyncEnumerable<ModelProfile> ListNameableProfilesAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        if (_profiles is null)
        {
            yield break;
        }

        string? cursor = null;
        do
        {
            var page = await _profiles.ListProfilesAsync(new ProfileQuery(StorePaging.MaxLimit, cursor), cancellationToken).ConfigureAwait(false);
            foreach (var profile in page.Items.Where(profile => Router.Allows(profile.ModelKey)))
            {
                yield return profile;
            }

            cursor = page.NextCursor;
        }
        while (cursor is not null);
    }

    private async Task<ModelProfile?> SpaceProfileAsync(Space space, CancellationToken cancellationToken)
    {
        if (space.DefaultProfileId is { } defaultId
            && await Profiles("spaceId").GetProfileAsync(defaultId, cancellationToken).ConfigureAwait(false) is { } defaultProfile)
        {
            return defaultProfile;
        }

        var linked = await Spaces().ListLinkedProfilesAsync(space.Id, cancellationToken).ConfigureAwait(false);
        return linked.Count switch
        {
            0 => null,
            1 => linked[0],
            _ => throw new GatewayException(
                GatewayErrorKind.Conflict,
                GatewayErrorCodes.ProfileRequired,
                $"Space '{space.Name}' links {linked.Count} profiles and has no default: name one with profileId ({string.Join(", ", linked.Select(p => $"{p.Id} '{p.Name}'"))}), or set the space's defaultProfileId.",
                new Dictionary<string, object?>
                {
                    ["spaceId"] = space.Id,
                    ["profiles"] = linked.Select(p => new Dictionary<string, object?> { ["id"] = p.Id, ["name"] = p.Name }).ToArray(),
                }),
        };
    }

    private IModelProfileStore Profiles(string field) =>
        _profiles ?? throw GatewayException.InvalidField(field, "model profiles are not stored on this gateway (register a storage package, e.g. AddSqliteStorage()).");

    private ISpaceStore Spaces() =>
        _spaces ?? throw GatewayException.InvalidField("spaceId", "spaces are not stored on this gateway (register a storage package, e.g. AddSqliteStorage()).");
}
