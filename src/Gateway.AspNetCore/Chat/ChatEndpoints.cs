using Gateway.AspNetCore.Internal;
using Gateway.Core.Chat;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.AI;

namespace Gateway.AspNetCore.Chat;

/// <summary><c>POST /api/chat</c> and <c>POST /api/chat/stream</c>.</summary>
internal static class ChatEndpoints
{
    public static void Map(IEndpointRouteBuilder api)
    {
        api.MapPost("/api/chat", CompleteAsync).WithName("Chat").WithTags("Chat").ProducesChatErrors();
        // Errors after the stream has started arrive as an `error` event carrying the same problem.
        api.MapPost("/api/chat/stream", StreamAsync).WithName("ChatStream").WithTags("Chat").ProducesChatErrors()
            .Produces(StatusCodes.Status200OK, contentType: "text/event-stream");
    }

    /// <summary>The response header that names the conversation a turn was stored in.</summary>
    public const string ConversationIdHeader = "X-Conversation-Id";

    private static async Task<Ok<ChatResponseBody>> CompleteAsync(
        [FromBody] ChatRequestBody body, HttpContext context, [FromServices] ChatService chat)
    {
        var turn = await BeginTurnAsync(body, context, chat).ConfigureAwait(false);
        var response = await chat.CompleteTurnAsync(turn, context.RequestAborted).ConfigureAwait(false);
        RouteHeader.Set(context, turn.AnsweringRoute);

        return TypedResults.Ok(new ChatResponseBody(
            ConversationId: turn.ConversationId,
            MessageId: turn.ReplyMessageId,
            ProfileId: turn.Profile?.Id,
            ModelKey: turn.AnsweringRoute.Value,
            Model: response.ModelId ?? turn.Route.Model,
            Message: new ChatMessageBody { Role = ChatRole.Assistant.Value, Content = response.Text, ToolCalls = ChatToolMapping.ToBodies(response.Messages) },
            Usage: ChatRequestMapping.ToUsage(response.Usage),
            FinishReason: response.FinishReason?.Value,
            Citations: turn.Citations));
    }

    private static async Task StreamAsync([FromBody] ChatRequestBody body, HttpContext context, [FromServices] ChatService chat)
    {
        var turn = await BeginTurnAsync(body, context, chat).ConfigureAwait(false);
        var stream = RouteHeader.SetForStream(context, turn.Route, chat.StreamTurnAsync(turn, context.RequestAborted));
        await SseRelay.RunAsync(context, stream, new ChatSseDialect(turn)).ConfigureAwait(false);
    }

    private static async Task<ChatTurn> BeginTurnAsync(ChatRequestBody body, HttpContext context, ChatService chat)
    {
        var request = new ChatTurnRequest(
            body.ModelKey,
            ChatRequestMapping.ToMessages(body.Messages, required: body.ConversationId is null),
            ChatToolMapping.WithTools(ChatRequestMapping.ToOptions(body.Options), body.Tools, body.ToolChoice),
            body.ConversationId,
            body.ParentId,
            body.Persist ?? true,
            body.ProfileId,
            body.SpaceId,
            ChatRetrievalMapping.ToRequest(body.Rag));
        var turn = await chat.BeginTurnAsync(request, context.RequestAborted).ConfigureAwait(false);
        DroppedParametersHeader.Set(context.Response, turn.DroppedParameters);
        if (turn.ConversationId is not null)
        {
            context.Response.Headers[ConversationIdHeader] = turn.ConversationId;
        }

        return turn;
    }
}
