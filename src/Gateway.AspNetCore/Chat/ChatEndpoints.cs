using System.Text.Json;
using Gateway.AspNetCore.Internal;
using Gateway.Core.Chat;
using Gateway.Core.Errors;
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

    private static async Task StreamAsync(
        HttpContext context, [FromServices] ChatService chat)
    {
        var body = await JsonRequestReader.ReadAsync(context, GatewayJsonContext.Default.ChatRequestBody).ConfigureAwait(false);
        var route = chat.Router.Resolve(body.ModelKey);
        var aborted = context.RequestAborted;
        var updates = chat.StreamAsync(
            route, ChatRequestMapping.ToMessages(body.Messages), ChatRequestMapping.ToOptions(body.Options), aborted)
            .GetAsyncEnumerator(aborted);
        await using var updatesScope = updates.ConfigureAwait(false);

        // Wait for the upstream's first update before sending a byte: a failure now still gets a
        // plain problem response with its real status code.
        var more = await updates.MoveNextAsync().ConfigureAwait(false);

        using var sse = SseWriter.Start(context);
        try
        {
            var summary = await SseRelay.PumpAsync(updates, more, sse, WriteDelta, aborted).ConfigureAwait(false);
            var done = sse.BeginEvent("done"u8);
            JsonSerializer.Serialize(done, new ChatStreamDoneBody(
                ConversationId: null,
                MessageId: null,
                ModelKey: route.Key.Value,
                Model: summary.ModelId ?? route.Model,
                Usage: ChatRequestMapping.ToUsage(summary.Usage),
                FinishReason: summary.FinishReason?.Value),
                GatewayJsonContext.Default.ChatStreamDoneBody);
            await sse.EndEventAsync(aborted).ConfigureAwait(false);
        }
        catch (GatewayException ex) when (!aborted.IsCancellationRequested)
        {
            await SseErrors.WriteAsync(context, sse, ex, namedEvent: true).ConfigureAwait(false);
        }
    }

    private static void WriteDelta(SseWriter sse, string text)
    {
        var json = sse.BeginEvent();
        json.WriteStartObject();
        json.WriteString("content"u8, text);
        json.WriteEndObject();
        sse.EndEvent();
    }
}
