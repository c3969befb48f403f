using Gateway.AspNetCore.Internal;
using Gateway.Core.Errors;
using Gateway.Core.Storage.Conversations;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;

namespace Gateway.AspNetCore.Conversations;

/// <summary>
/// <c>/api/conversations</c>: create, list (keyset pages, newest first), read, patch and delete
/// conversations, and list (oldest first, by branch), append and delete their messages.
/// </summary>
internal static class ConversationEndpoints
{
    public static void Map(IEndpointRouteBuilder api)
    {
        var conversations = api.MapGroup("/api/conversations");
        conversations.MapPost(string.Empty, CreateAsync).WithName("CreateConversation");
        conversations.MapGet(string.Empty, ListAsync).WithName("ListConversations");
        conversations.MapGet("/{conversationId}", GetAsync).WithName("GetConversation");
        conversations.MapPatch("/{conversationId}", PatchAsync).WithName("PatchConversation");
        conversations.MapDelete("/{conversationId}", DeleteAsync).WithName("DeleteConversation");
        conversations.MapGet("/{conversationId}/messages", ListMessagesAsync).WithName("ListMessages");
        conversations.MapPost("/{conversationId}/messages", AppendMessageAsync).WithName("AppendMessage");
        conversations.MapDelete("/{conversationId}/messages/{messageId}", DeleteMessageAsync).WithName("DeleteMessage");
    }

    private static async Task<Created<Conversation>> CreateAsync(HttpContext context, [FromServices] ConversationService conversations)
    {
        var body = await JsonRequestReader.ReadAsync(context, GatewayJsonContext.Default.CreateConversationBody).ConfigureAwait(false);
        var conversation = await conversations.CreateAsync(
            new NewConversation(body.Title, body.SpaceId, body.Metadata), context.RequestAborted).ConfigureAwait(false);
        return TypedResults.Created($"/api/conversations/{conversation.Id}", conversation);
    }

    private static async Task<Ok<Page<Conversation>>> ListAsync(HttpContext context, [FromServices] IConversationStore store)
    {
        var request = context.Request;
        var query = new ConversationQuery(
            QueryParameters.Int(request, "limit", StorePaging.DefaultLimit),
            QueryParameters.String(request, "cursor"),
            QueryParameters.String(request, "spaceId"),
            QueryParameters.BoolOrAll(request, "archived", defaultValue: false));
        return TypedResults.Ok(await store.ListConversationsAsync(query, context.RequestAborted).ConfigureAwait(false));
    }

    private static async Task<Ok<Conversation>> GetAsync(
        string conversationId, HttpContext context, [FromServices] IConversationStore store) =>
        TypedResults.Ok(await store.GetConversationAsync(conversationId, context.RequestAborted).ConfigureAwait(false)
            ?? throw ConversationStoreRules.ConversationNotFound(conversationId));

    private static async Task<Ok<Conversation>> PatchAsync(
        string conversationId, HttpContext context, [FromServices] ConversationService conversations)
    {
        var body = await JsonRequestReader.ReadAsync(context, GatewayJsonContext.Default.PatchConversationBody).ConfigureAwait(false);
        var patch = new ConversationPatch(body.Title, body.SpaceId, body.Metadata, body.Archived, body.ActiveMessageId);
        return TypedResults.Ok(await conversations.UpdateAsync(conversationId, patch, context.RequestAborted).ConfigureAwait(false)
            ?? throw ConversationStoreRules.ConversationNotFound(conversationId));
    }

    private static async Task<NoContent> DeleteAsync(
        string conversationId, HttpContext context, [FromServices] IConversationStore store) =>
        await store.DeleteConversationAsync(conversationId, context.RequestAborted).ConfigureAwait(false)
            ? TypedResults.NoContent()
            : throw ConversationStoreRules.ConversationNotFound(conversationId);

    private static async Task<Ok<Page<ConversationMessage>>> ListMessagesAsync(
        string conversationId, HttpContext context, [FromServices] IConversationStore store)
    {
        var request = context.Request;
        var query = new MessageQuery(
            QueryParameters.Int(request, "limit", StorePaging.DefaultLimit),
            QueryParameters.String(request, "cursor"),
            QueryParameters.String(request, "branch"));
        return TypedResults.Ok(await store.ListMessagesAsync(conversationId, query, context.RequestAborted).ConfigureAwait(false));
    }

    private static async Task<Created<ConversationMessage>> AppendMessageAsync(
        string conversationId, HttpContext context, [FromServices] IConversationStore store)
    {
        var body = await JsonRequestReader.ReadAsync(context, GatewayJsonContext.Default.AppendMessageBody).ConfigureAwait(false);
        var message = new NewMessage(
            body.Role ?? throw GatewayException.InvalidField("role", "a role (system, user, assistant or tool) is required."),
            body.Content ?? throw GatewayException.InvalidField("content", "a content string is required."),
            body.ParentId,
            body.ModelKey,
            body.InputTokens,
            body.OutputTokens,
            ParseStatus(body.Status));
        var stored = await store.AppendMessageAsync(conversationId, message, context.RequestAborted).ConfigureAwait(false);
        return TypedResults.Created($"/api/conversations/{conversationId}/messages/{stored.Id}", stored);
    }

    private static async Task<NoContent> DeleteMessageAsync(
        string conversationId, string messageId, HttpContext context, [FromServices] IConversationStore store) =>
        await store.DeleteMessageAsync(conversationId, messageId, context.RequestAborted).ConfigureAwait(false)
            ? TypedResults.NoContent()
            : throw ConversationStoreRules.MessageNotFound(conversationId, messageId, "messageId");

    private static MessageStatus ParseStatus(string? status) => status switch
    {
        null or "complete" => MessageStatus.Complete,
        "incomplete" => MessageStatus.Incomplete,
        "error" => MessageStatus.Error,
        _ => throw GatewayException.InvalidField("status", $"'{status}' is not a status; use complete, incomplete or error."),
    };
}
