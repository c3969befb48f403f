using System.Text.Json;
using Gateway.Core.Errors;
using Gateway.Core.Storage.Conversations;
using Microsoft.AspNetCore.Mvc;

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

    /// <summary>An assistant message's tool calls.</summary>
    public List<AppendToolCallBody?>? ToolCalls { get; set; }

    /// <summary>The call a tool message answers.</summary>
    public string? ToolCallId { get; set; }

    /// <summary>The function a tool message's result came from.</summary>
    public string? ToolName { get; set; }

    public NewMessage ToNewMessage() => new(
        Role ?? throw GatewayException.InvalidField("role", "a role (system, user, assistant or tool) is required."),
        Content ?? throw GatewayException.InvalidField("content", "a content string is required."),
        ParentId,
        ModelKey,
        InputTokens,
        OutputTokens,
        Status switch
        {
            null or "complete" => MessageStatus.Complete,
            "incomplete" => MessageStatus.Incomplete,
            "error" => MessageStatus.Error,
            _ => throw GatewayException.InvalidField("status", $"'{Status}' is not a status; use complete, incomplete or error."),
        },
        ToolCalls?.Select((call, i) => new StoredToolCall(
            call?.Id ?? throw GatewayException.InvalidField($"toolCalls[{i}].id", "the call's id is required."),
            call.Name ?? throw GatewayException.InvalidField($"toolCalls[{i}].name", "the called function's name is required."),
            call.ArgumentsText($"toolCalls[{i}].arguments"))).ToList(),
        ToolCallId,
        ToolName);
}

/// <summary>
/// One tool call of <see cref="AppendMessageBody.ToolCalls"/>: <c>{"id", "name", "arguments"}</c>, the arguments a JSON
/// object as <c>/api/chat</c> takes them, or a string holding its text as OpenAI writes it.
/// </summary>
internal sealed class AppendToolCallBody
{
    public string? Id { get; set; }

    public string? Name { get; set; }

    public JsonElement? Arguments { get; set; }

    /// <summary>The arguments' text: the object's as written, or the string's, which the store checks is an object.</summary>
    public string ArgumentsText(string field) => Arguments switch
    {
        { ValueKind: JsonValueKind.Object } arguments => arguments.GetRawText(),
        { ValueKind: JsonValueKind.String } text => text.GetString()!,
        null or { ValueKind: JsonValueKind.Null } => throw GatewayException.InvalidField(field, "the arguments are required, a JSON object, e.g. {}."),
        _ => throw GatewayException.InvalidField(field, "expected the arguments as a JSON object, e.g. {\"city\":\"Paris\"}."),
    };
}

/// <summary>The filters of <c>GET /api/conversations</c>: <c>?spaceId=</c> and <c>?archived=</c> (<c>false</c> by default, <c>true</c> or <c>all</c>).</summary>
internal sealed record ConversationFilterParameters(
    [FromQuery(Name = "spaceId")] string? SpaceId,
    [FromQuery(Name = "archived")] string? Archived)
{
    public string? SpaceIdOrNull => string.IsNullOrEmpty(SpaceId) ? null : SpaceId;

    /// <summary><see langword="null"/> for <c>all</c> (no filter).</summary>
    public bool? ArchivedOrAll() => Archived switch
    {
        null or "" => false,
        _ when string.Equals(Archived, "all", StringComparison.OrdinalIgnoreCase) => null,
        _ when bool.TryParse(Archived, out var archived) => archived,
        _ => throw GatewayException.InvalidField("archived", $"'{Archived}' is not one of true, false or all."),
    };
}
