using Gateway.Core.Errors;
using Gateway.Core.Routing;

namespace Gateway.Core.Storage.Profiles;

/// <summary>
/// What a profile may hold, checked the same way by every store and by the service in front of them,
/// and the profile errors.
/// </summary>
public static class ModelProfileRules
{
    /// <summary>The longest profile (and space) name.</summary>
    public const int MaxNameLength = 100;

    /// <summary>The longest system prompt, in characters.</summary>
    public const int MaxSystemPromptLength = 100_000;

    /// <summary>The most stop sequences a profile may carry.</summary>
    public const int MaxStopSequences = 16;

    /// <summary>Checks every field of <paramref name="definition"/>.</summary>
    /// <exception cref="GatewayException"><see cref="GatewayErrorCodes.InvalidRequest"/> naming the first bad field.</exception>
    public static void Validate(ModelProfileDefinition definition)
    {
        ArgumentNullException.ThrowIfNull(definition);
        ValidateName(definition.Name, "name");
        if (!RouteKey.TryParse(definition.ModelKey, out _))
        {
            throw GatewayException.InvalidField("modelKey", $"expected a route key of 1–{RouteKey.MaxLength} letters, digits, '_', '-' or '.'.");
        }

        if (definition.SystemPrompt is { Length: > MaxSystemPromptLength })
        {
            throw GatewayException.InvalidField("systemPrompt", $"expected at most {MaxSystemPromptLength} characters.");
        }

        if (definition.Temperature is { } temperature && !(temperature is >= 0 and <= 2))
        {
            throw GatewayException.InvalidField("temperature", $"expected 0 to 2, got {temperature}.");
        }

        if (definition.TopP is { } topP && !(topP is >= 0 and <= 1))
        {
            throw GatewayException.InvalidField("topP", $"expected 0 to 1, got {topP}.");
        }

        if (definition.MaxTokens is < 1)
        {
            throw GatewayException.InvalidField("maxTokens", $"expected 1 or more, got {definition.MaxTokens}.");
        }

        if (definition.ContextWindow is < 1)
        {
            throw GatewayException.InvalidField("contextWindow", $"expected 1 or more, got {definition.ContextWindow}.");
        }

        if (definition.Stop is { } stop)
        {
            if (stop.Count > MaxStopSequences)
            {
                throw GatewayException.InvalidField("stop", $"expected at most {MaxStopSequences} stop sequences.");
            }

            for (var i = 0; i < stop.Count; i++)
            {
                if (string.IsNullOrEmpty(stop[i]))
                {
                    throw GatewayException.InvalidField($"stop[{i}]", "expected a non-empty stop sequence.");
                }
            }
        }

        Conversations.ConversationStoreRules.MetadataText(definition.Metadata);
    }

    /// <summary>Checks a profile or space name: 1 to <see cref="MaxNameLength"/> characters, no control characters, not only spaces.</summary>
    /// <exception cref="GatewayException"><see cref="GatewayErrorCodes.InvalidRequest"/> naming <paramref name="field"/>.</exception>
    public static void ValidateName(string? name, string field)
    {
        if (string.IsNullOrWhiteSpace(name) || name.Length > MaxNameLength || name.Any(char.IsControl))
        {
            throw GatewayException.InvalidField(field, $"expected 1 to {MaxNameLength} characters, not only spaces, with no control characters.");
        }
    }

    /// <summary>The 404 for a profile id nothing is stored under; <paramref name="field"/> names where the id came from.</summary>
    public static GatewayException ProfileNotFound(string profileId, string field = "profileId") => new(
        GatewayErrorKind.NotFound,
        GatewayErrorCodes.ProfileNotFound,
        $"{field}: no model profile has the id '{profileId}'.",
        new Dictionary<string, object?> { ["profileId"] = profileId, ["field"] = field });

    /// <summary>The 404 for a profile name no profile has.</summary>
    public static GatewayException ProfileNameNotFound(string name) => new(
        GatewayErrorKind.NotFound,
        GatewayErrorCodes.ProfileNotFound,
        $"No model profile is named '{name}'.",
        new Dictionary<string, object?> { ["profileName"] = name });

    /// <summary>The 409 for a name another profile already has.</summary>
    public static GatewayException NameTaken(string name) => new(
        GatewayErrorKind.Conflict,
        GatewayErrorCodes.ProfileNameTaken,
        $"name: another model profile is already named '{name}' (names are unique, ignoring case).",
        new Dictionary<string, object?> { ["field"] = "name", ["name"] = name });
}
