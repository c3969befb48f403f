using System.Text.Json;

namespace Gateway.Core.Storage.Spaces;

/// <summary>A workspace: conversations belong to at most one, and it names the profiles its chats use.</summary>
/// <param name="Id">The sortable id (UUIDv7 text).</param>
/// <param name="Name">Unique among spaces, case-insensitively.</param>
/// <param name="Description">Free text for people, if set.</param>
/// <param name="DefaultProfileId">The profile a chat in the space uses when it names none; always one of the linked profiles.</param>
/// <param name="Metadata">A JSON object the caller owns.</param>
/// <param name="CreatedAt">When it was created.</param>
/// <param name="UpdatedAt">When it last changed.</param>
public sealed record Space(
    string Id,
    string Name,
    string? Description,
    string? DefaultProfileId,
    JsonElement Metadata,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt);
