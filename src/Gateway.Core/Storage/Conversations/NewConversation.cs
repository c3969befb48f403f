using System.Text.Json;

namespace Gateway.Core.Storage.Conversations;

/// <summary>What a caller supplies to create a conversation; the store assigns id and timestamps.</summary>
/// <param name="Title">A title for people; may be absent.</param>
/// <param name="SpaceId">The workspace it belongs to, if any.</param>
/// <param name="Metadata">A JSON object, or <see langword="null"/> for <c>{}</c>.</param>
public sealed record NewConversation(string? Title = null, string? SpaceId = null, JsonElement? Metadata = null);
