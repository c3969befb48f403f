using System.Text.Json;

namespace Gateway.Core.Storage.Profiles;

/// <summary>
/// What a caller supplies to create a profile or to replace one wholesale; the store assigns the id and
/// the timestamps. <see cref="ModelProfileRules.Validate"/> says what each field may be.
/// </summary>
/// <param name="Name">Unique among profiles, case-insensitively.</param>
/// <param name="ModelKey">The route key the profile talks through.</param>
/// <param name="SystemPrompt">Prepended as a system message to every turn, if set.</param>
/// <param name="Temperature">0 to 2, if set.</param>
/// <param name="TopP">0 to 1, if set.</param>
/// <param name="MaxTokens">The most output tokens, 1 or more, if set.</param>
/// <param name="Stop">Stop sequences, or <see langword="null"/> for none.</param>
/// <param name="ContextWindow">The model's context window in tokens, if known.</param>
/// <param name="Metadata">A JSON object, or <see langword="null"/> for <c>{}</c>.</param>
public sealed record ModelProfileDefinition(
    string Name,
    string ModelKey,
    string? SystemPrompt = null,
    float? Temperature = null,
    float? TopP = null,
    int? MaxTokens = null,
    IReadOnlyList<string>? Stop = null,
    int? ContextWindow = null,
    JsonElement? Metadata = null);
