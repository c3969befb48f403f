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
        api.MapPost("/api/chat", CompleteAsync).WithName("Chat");
        api.MapPost("/api/chat/stream", StreamAsync).WithName("ChatStream");
    }

    private static async Task<Ok<ChatResponseBody>> CompleteAsync(
        HttpContext context, [FromServices] ChatService chat)
    {
        var body = await JsonRequestReader.ReadAsync(context, GatewayJsonContext.Default.ChatRequestBody).ConfigureAwait(false);
        var route = chat.Router.Resolve(body.ModelKey);
        var response = await chat.CompleteAsync(
            route, ChatRequestMapping.ToMessages(body.Messages), ChatRequestMapping.ToOptions(body.Options), context.RequestAborted)
            .ConfigureAwait(false);

        return TypedResults.Ok(new ChatResponseBody(
            ConversationId: null,
            MessageId: null,
            ModelKey: route.Key.Value,
            Model: response.ModelId ?? route.Model,
            Message: new ChatMessageBody { Role = ChatRole.Assistant.Value, Content = response.Text },
            Usage: ChatRequestMapping.ToUsage(response.Usage),
            FinishReason: response.FinishReason?.Value));
    }

    private static async Task StreamAsync(HttpContext context, [FromServices] ChatService chat)
    {
        var body = await JsonRequestReader.ReadAsync(context, GatewayJsonContext.Default.ChatRequestBody).ConfigureAwait(false);
        var route = chat.Router.Resolve(body.ModelKey);
        var stream = chat.StreamAsync(
            route, ChatRequestMapping.ToMessages(body.Messages), ChatRequestMapping.ToOptions(body.Options), context.RequestAborted);
        await SseRelay.RunAsync(context, stream, new ChatSseDialect(route)).ConfigureAwait(false);
    }
}
