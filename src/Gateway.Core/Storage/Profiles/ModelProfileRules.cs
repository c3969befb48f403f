using System.Text;
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

        CheckStorableText(definition.SystemPrompt, "systemPrompt");

        if (definition.Temperature is { } temperature && !(temperature is >= 0 and <= 2))
        {
            throw GatewayException.InvalidField("temperature", $"expected 0 to 2, got {temperature}.");
        }

        if (definition.TopP is { } topP && !(topP is > 0 and <= 1))
        {
            throw GatewayException.InvalidField("topP", $"expected more than 0 and at most 1 (as a chat request's topP), got {topP}.");
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

                CheckStorableText(stop[i], $"stop[{i}]");
            }
        }

        Conversations.ConversationStoreRules.MetadataText(definition.Metadata);
    }

    /// <summary>Checks a profile or space name: 1 to <see cref="MaxNameLength"/> characters, no control characters, not only spaces.</summary>
    /// <exception cref="GatewayException"><see cref="GatewayErrorCodes.InvalidRequest"/> naming <paramref name="field"/>.</exception>
    public static void ValidateName(string? name, string field)
    {
        if (!IsValidName(name))
        {
            throw GatewayException.InvalidField(field, $"expected 1 to {MaxNameLength} characters, not only spaces, with no control characters.");
        }
    }

    /// <summary>
    /// What names are unique by, ignoring case: <paramref name="name"/> in Unicode normalization form C,
    /// upper- then lower-cased with the invariant culture. Every store writes this key next to the name
    /// and looks names up by it, so all backends agree on which names are the same.
    /// </summary>
    public static string NameKey(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return name.Normalize(NormalizationForm.FormC).ToUpperInvariant().ToLowerInvariant();
    }

    /// <summary>Whether <paramref name="name"/> passes <see cref="ValidateName"/>; a name that does not can belong to no profile or space.</summary>
    public static bool IsValidName(string? name) =>
        !string.IsNullOrWhiteSpace(name) && name.Length <= MaxNameLength && !name.Any(char.IsControl) && IsWellFormedText(name);

    /// <summary>
    /// Refuses text no store can keep the same everywhere: a NUL character (PostgreSQL text cannot hold
    /// it) or a lone UTF-16 surrogate (not Unicode, so it has no UTF-8 form).
    /// </summary>
    internal static void CheckStorableText(string? value, string field)
    {
        if (value is not null && (value.Contains('\0', StringComparison.Ordinal) || !IsWellFormedText(value)))
        {
            throw GatewayException.InvalidField(field, "expected text without NUL characters or unpaired surrogates.");
        }
    }

    private static bool IsWellFormedText(string value)
    {
        var rest = value.AsSpan();
        while (!rest.IsEmpty)
        {
            if (Rune.DecodeFromUtf16(rest, out _, out var used) != System.Buffers.OperationStatus.Done)
            {
                return false;
            }

            rest = rest[used..];
        }

        return true;
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
