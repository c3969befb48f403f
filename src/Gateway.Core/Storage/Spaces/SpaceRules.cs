using Gateway.Core.Errors;
using Gateway.Core.Storage.Conversations;
using Gateway.Core.Storage.Profiles;

namespace Gateway.Core.Storage.Spaces;

/// <summary>What a space may hold, checked the same way by every store, and the space errors.</summary>
public static class SpaceRules
{
    /// <summary>The longest description, in characters.</summary>
    public const int MaxDescriptionLength = 10_000;

    /// <summary>Checks every field of <paramref name="definition"/>.</summary>
    /// <exception cref="GatewayException"><see cref="GatewayErrorCodes.InvalidRequest"/> naming the first bad field.</exception>
    public static void Validate(SpaceDefinition definition)
    {
        ArgumentNullException.ThrowIfNull(definition);
        ModelProfileRules.ValidateName(definition.Name, "name");
        if (definition.Description is { Length: > MaxDescriptionLength })
        {
            throw GatewayException.InvalidField("description", $"expected at most {MaxDescriptionLength} characters.");
        }

        ModelProfileRules.CheckStorableText(definition.Description, "description");

        if (definition.DefaultProfileId is { } profileId && !SortableId.IsWellFormed(profileId))
        {
            throw ModelProfileRules.ProfileNotFound(profileId, "defaultProfileId");
        }

        ConversationStoreRules.MetadataText(definition.Metadata);
    }

    /// <summary>
    /// Checks, for a store deleting space <paramref name="spaceId"/> inside its transaction, what
    /// <paramref name="deletion"/> asks of the <paramref name="conversationCount"/> conversations (archived
    /// or not) that belong to it; when this returns, the store deletes or detaches them as asked (with
    /// none, both are no-ops) and deletes the space.
    /// </summary>
    /// <exception cref="GatewayException"><see cref="GatewayErrorCodes.SpaceNotEmpty"/> for <see cref="SpaceDeletion.RefuseIfConversations"/> with conversations present.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="deletion"/> is not a <see cref="SpaceDeletion"/> value.</exception>
    public static void CheckDeletion(string spaceId, SpaceDeletion deletion, long conversationCount)
    {
        if (!Enum.IsDefined(deletion))
        {
            throw new ArgumentOutOfRangeException(nameof(deletion), deletion, "Expected a SpaceDeletion value.");
        }

        if (deletion == SpaceDeletion.RefuseIfConversations && conversationCount > 0)
        {
            throw NotEmpty(spaceId, (int)Math.Min(conversationCount, int.MaxValue));
        }
    }

    /// <summary>The 404 for a space id nothing is stored under; <paramref name="field"/> names where the id came from.</summary>
    public static GatewayException SpaceNotFound(string spaceId, string field = "spaceId") => new(
        GatewayErrorKind.NotFound,
        GatewayErrorCodes.SpaceNotFound,
        $"{field}: no space has the id '{spaceId}'.",
        new Dictionary<string, object?> { ["spaceId"] = spaceId, ["field"] = field });

    /// <summary>The 409 for a name another space already has.</summary>
    public static GatewayException NameTaken(string name) => new(
        GatewayErrorKind.Conflict,
        GatewayErrorCodes.SpaceNameTaken,
        $"name: another space is already named '{name}' (names are unique, ignoring case).",
        new Dictionary<string, object?> { ["field"] = "name", ["name"] = name });

    /// <summary>The 409 for deleting a space that still holds conversations without saying what to do with them.</summary>
    public static GatewayException NotEmpty(string spaceId, int conversationCount) => new(
        GatewayErrorKind.Conflict,
        GatewayErrorCodes.SpaceNotEmpty,
        $"Space '{spaceId}' still holds {conversationCount} conversation(s). Delete them with it (?cascade=true) or keep them without a space (?detach=true).",
        new Dictionary<string, object?> { ["spaceId"] = spaceId, ["conversationCount"] = conversationCount });
}
