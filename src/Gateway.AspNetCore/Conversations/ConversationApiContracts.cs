using System.Text.Json;

namespace Gateway.AspNetCore.Conversations;

/// <summary>The body of <c>POST /api/conversations</c>.</summary>
internal sealed class CreateConversationBody
{
    public string? Title { get; set; }

    public string? SpaceId { get; set; }

    public JsonElement? Metadata { get; set; }
}

/// <summary>The body of <c>PATCH /api/conversations/{id}</c>: members left out keep their value.</summary>
internal sealed class PatchConversationBody
{
    public string? Title { get; set; }

    public string? SpaceId { get; set; }

    public JsonElement? Metadata { get; set; }

    public bool? Archived { get; set; }

    public string? ActiveMessageId { get; set; }
}

/// <summary>The body of <c>POST /api/conversations/{id}/messages</c>.</summary>
internal sealed class AppendMessageBody
{
    public string? Role { get; set; }

    public string? Content { get; set; }

    public string? ParentId { get; set; }

    public string? ModelKey { get; set; }

    public long? InputTokens { get; set; }

    public long? OutputTokens { get; set; }

    public string? Status { get; set; }
}
