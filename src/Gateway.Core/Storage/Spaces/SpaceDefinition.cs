using System.Text.Json;

namespace Gateway.Core.Storage.Spaces;

/// <summary>What a caller supplies to create a space or to replace one wholesale.</summary>
/// <param name="Name">Unique among spaces, case-insensitively.</param>
/// <param name="Description">Free text for people, at most <see cref="SpaceRules.MaxDescriptionLength"/> characters.</param>
/// <param name="DefaultProfileId">A profile to use when a chat in the space names none; it is linked to the space as well.</param>
/// <param name="Metadata">A JSON object, or <see langword="null"/> for <c>{}</c>.</param>
public sealed record SpaceDefinition(
    string Name,
    string? Description = null,
    string? DefaultProfileId = null,
    JsonElement? Metadata = null);
