using System.Text.Json;

namespace Gateway.Core.Storage.Profiles;

/// <summary>
/// A named, reusable way to talk to a model: the route it uses, the system prompt prepended to every
/// turn and the sampling parameters that apply unless a request overrides them.
/// </summary>
/// <param name="Id">The sortable id (UUIDv7 text).</param>
/// <param name="Name">Unique among profiles, case-insensitively.</param>
/// <param name="ModelKey">The route key the profile talks through.</param>
/// <param name="SystemPrompt">Prepended as a system message to every turn, if set.</param>
/// <param name="Temperature">0 to 2, if set.</param>
/// <param name="TopP">0 to 1, if set.</param>
/// <param name="MaxTokens">The most output tokens, 1 or more, if set.</param>
/// <param name="Stop">Stop sequences; empty when none.</param>
/// <param name="ContextWindow">The model's context window in tokens, if known.</param>
/// <param name="Metadata">A JSON object the caller owns.</param>
/// <param name="CreatedAt">When it was created.</param>
/// <param name="UpdatedAt">When it last changed.</param>
public sealed record ModelProfile(
    string Id,
    string Name,
    string ModelKey,
    string? SystemPrompt,
    float? Temperature,
    float? TopP,
    int? MaxTokens,
    IReadOnlyList<string> Stop,
    int? ContextWindow,
    JsonElement Metadata,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt);
