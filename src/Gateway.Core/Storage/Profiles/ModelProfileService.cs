using Gateway.Core.Errors;
using Gateway.Core.Routing;

namespace Gateway.Core.Storage.Profiles;

/// <summary>
/// Writes profiles the way the gateway allows them: the fields pass <see cref="ModelProfileRules"/>,
/// the route the profile names exists (<see cref="GatewayErrorCodes.RouteNotFound"/>, 404) and
/// <c>ALLOWED_MODELS</c> permits its model (<see cref="GatewayErrorCodes.ModelNotAllowed"/>, 403 with the
/// allowed list). A profile whose model is disallowed later stays readable; chat through it is refused
/// then by routing.
/// </summary>
public sealed class ModelProfileService(IModelProfileStore store, ModelRouter router)
{
    /// <summary>The store behind the service, for reads.</summary>
    public IModelProfileStore Store { get; } = store;

    /// <summary>Creates a profile after checking its fields and its route.</summary>
    /// <exception cref="GatewayException">A field is invalid, the route is unknown or not allowed, or the name is taken.</exception>
    public Task<ModelProfile> CreateAsync(ModelProfileDefinition definition, CancellationToken cancellationToken = default)
    {
        CheckRoute(definition);
        return Store.CreateProfileAsync(definition, cancellationToken);
    }

    /// <summary>Replaces a profile after checking its fields and its route; <see langword="null"/> when it does not exist.</summary>
    /// <exception cref="GatewayException">A field is invalid, the route is unknown or not allowed, or the name is taken.</exception>
    public Task<ModelProfile?> UpdateAsync(string profileId, ModelProfileDefinition definition, CancellationToken cancellationToken = default)
    {
        CheckRoute(definition);
        return Store.UpdateProfileAsync(profileId, definition, cancellationToken);
    }

    private void CheckRoute(ModelProfileDefinition definition)
    {
        ModelProfileRules.Validate(definition);
        router.Resolve(definition.ModelKey);
    }
}
