using System.Text.Json;

namespace Gateway.Core.Storage.Conversations;

/// <summary>A partial update of a conversation: each member that is not <see langword="null"/> replaces the stored value.</summary>
/// <param name="Title">A new title; an empty string clears it.</param>
/// <param name="SpaceId">A new space; an empty string moves it out of any space.</param>
/// <param name="Metadata">A new metadata object, replacing the old one whole.</param>
/// <param name="Archived">Archive or restore it.</param>
/// <param name="ActiveMessageId">Make the branch through this message the active one.</param>
public sealed record ConversationPatch(
    string? Title = null,
    string? SpaceId = null,
    JsonElement? Metadata = null,
    bool? Archived = null,
    string? ActiveMessageId = null);
