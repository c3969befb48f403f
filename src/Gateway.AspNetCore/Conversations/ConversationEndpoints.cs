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
        var conversations = api.MapGroup("/api/conversations").WithTags("Conversations");
        conversations.MapPost(string.Empty, CreateAsync).WithName("CreateConversation")
            .ProducesGatewayError(StatusCodes.Status404NotFound, GatewayErrorCodes.SpaceNotFound);
        conversations.MapGet(string.Empty, ListAsync).WithName("ListConversations")
            .ProducesGatewayError(StatusCodes.Status400BadRequest, GatewayErrorCodes.InvalidCursor);
        conversations.MapGet("/{conversationId}", GetAsync).WithName("GetConversation")
            .ProducesGatewayError(StatusCodes.Status404NotFound, GatewayErrorCodes.ConversationNotFound);
        conversations.MapPatch("/{conversationId}", PatchAsync).WithName("PatchConversation")
            .ProducesGatewayError(StatusCodes.Status404NotFound, GatewayErrorCodes.ConversationNotFound, GatewayErrorCodes.SpaceNotFound, GatewayErrorCodes.MessageNotFound);
        conversations.MapDelete("/{conversationId}", DeleteAsync).WithName("DeleteConversation")
            .ProducesGatewayError(StatusCodes.Status404NotFound, GatewayErrorCodes.ConversationNotFound);
        conversations.MapGet("/{conversationId}/messages", ListMessagesAsync).WithName("ListMessages")
            .ProducesGatewayError(StatusCodes.Status400BadRequest, GatewayErrorCodes.InvalidCursor)
            .ProducesGatewayError(StatusCodes.Status404NotFound, GatewayErrorCodes.ConversationNotFound, GatewayErrorCodes.MessageNotFound);
        conversations.MapPost("/{conversationId}/messages", AppendMessageAsync).WithName("AppendMessage")
            .ProducesGatewayError(StatusCodes.Status404NotFound, GatewayErrorCodes.ConversationNotFound, GatewayErrorCodes.MessageNotFound);
        conversations.MapDelete("/{conversationId}/messages/{messageId}", DeleteMessageAsync).WithName("DeleteMessage")
            .ProducesGatewayError(StatusCodes.Status404NotFound, GatewayErrorCodes.ConversationNotFound, GatewayErrorCodes.MessageNotFound);
    }

    private static async Task<Created<Conversation>> CreateAsync(
        [FromBody] CreateConversationBody body, [FromServices] ConversationService conversations, CancellationToken cancellationToken)
    {
        var conversation = await conversations.CreateAsync(
            new NewConversation(body.Title, body.SpaceId, body.Metadata), cancellationToken).ConfigureAwait(false);
        return TypedResults.Created($"/api/conversations/{conversation.Id}", conversation);
    }

    private static async Task<Ok<Page<Conversation>>> ListAsync(
        [AsParameters] PageParameters page,
        [AsParameters] ConversationFilterParameters filter,
        [FromServices] ConversationService conversations,
        CancellationToken cancellationToken)
    {
        var query = new ConversationQuery(page.LimitOrDefault, page.CursorOrNull, filter.SpaceIdOrNull, filter.ArchivedOrAll());
        return TypedResults.Ok(await conversations.Store.ListConversationsAsync(query, cancellationToken).ConfigureAwait(false));
    }

    private static async Task<Results<Ok<Conversation>, ProblemHttpResult>> GetAsync(
        string conversationId, HttpContext context, [FromServices] ConversationService conversations, CancellationToken cancellationToken) =>
        await conversations.Store.GetConversationAsync(conversationId, cancellationToken).ConfigureAwait(false) is { } conversation
            ? TypedResults.Ok(conversation)
            : GatewayProblems.Result(context, ConversationStoreRules.ConversationNotFound(conversationId));

    private static async Task<Results<Ok<Conversation>, ProblemHttpResult>> PatchAsync(
        string conversationId,
        [FromBody] PatchConversationBody body,
        HttpContext context,
        [FromServices] ConversationService conversations,
        CancellationToken cancellationToken)
    {
        var patch = new ConversationPatch(body.Title, body.SpaceId, body.Metadata, body.Archived, body.ActiveMessageId);
        return await conversations.UpdateAsync(conversationId, patch, cancellationToken).ConfigureAwait(false) is { } conversation
            ? TypedResults.Ok(conversation)
            : GatewayProblems.Result(context, ConversationStoreRules.ConversationNotFound(conversationId));
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> DeleteAsync(
        string conversationId, HttpContext context, [FromServices] ConversationService conversations, CancellationToken cancellationToken) =>
        await conversations.Store.DeleteConversationAsync(conversationId, cancellationToken).ConfigureAwait(false)
            ? TypedResults.NoContent()
            : GatewayProblems.Result(context, ConversationStoreRules.ConversationNotFound(conversationId));

    private static async Task<Ok<Page<ConversationMessage>>> ListMessagesAsync(
        string conversationId,
        [AsParameters] PageParameters page,
        [FromQuery(Name = "branch")] string? branch,
        [FromServices] ConversationService conversations,
        CancellationToken cancellationToken)
    {
        var query = new MessageQuery(page.LimitOrDefault, page.CursorOrNull, string.IsNullOrEmpty(branch) ? null : branch);
        return TypedResults.Ok(await conversations.Store.ListMessagesAsync(conversationId, query, cancellationToken).ConfigureAwait(false));
    }

    private static async Task<Created<ConversationMessage>> AppendMessageAsync(
        string conversationId, [FromBody] AppendMessageBody body, [FromServices] ConversationService conversations, CancellationToken cancellationToken)
    {
        var stored = await conversations.Store.AppendMessageAsync(conversationId, body.ToNewMessage(), cancellationToken).ConfigureAwait(false);
        return TypedResults.Created($"/api/conversations/{conversationId}/messages/{stored.Id}", stored);
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> DeleteMessageAsync(
        string conversationId, string messageId, HttpContext context, [FromServices] ConversationService conversations, CancellationToken cancellationToken) =>
        await conversations.Store.DeleteMessageAsync(conversationId, messageId, cancellationToken).ConfigureAwait(false)
            ? TypedResults.NoContent()
            : GatewayProblems.Result(context, ConversationStoreRules.MessageNotFound(conversationId, messageId, "messageId"));
}
