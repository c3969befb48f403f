using System.Text.Json;
using Gateway.AspNetCore.Internal;
using Gateway.Core.Chat;
using Microsoft.Extensions.AI;

namespace Gateway.AspNetCore.Chat;

/// <summary>
/// The gateway's own stream format: <c>event: citations</c> with <c>{"citations":[…]}</c> first when the turn
/// retrieved, <c>data: {"content":"…"}</c> per delta, <c>event: tool_call</c> with
/// <c>{"id","name","arguments"}</c> per tool call (the arguments as the JSON object the model wrote, or its text when it is not one), then <c>event: done</c>
/// with usage and ids; failures after the start as <c>event: error</c> with a problem body.
/// </summary>
internal sealed class ChatSseDialect(ChatTurn turn) : SseDialect
{
    public override bool NamedErrorEvent => true;

    public override void WriteStart(SseWriter sse)
    {
        if (turn.Citations is { } citations)
        {
            JsonSerializer.Serialize(sse.BeginEvent("citations"u8), new ChatStreamCitationsBody(citations), GatewayJsonContext.Default.ChatStreamCitationsBody);
            sse.EndEvent();
        }
    }

    public override void WriteDelta(SseWriter sse, string text, in StreamSummary summary)
    {
        var json = sse.BeginEvent();
        json.WriteStartObject();
        json.WriteString("content"u8, text);
        json.WriteEndObject();
        sse.EndEvent();
    }

    public override void WriteToolCall(SseWriter sse, FunctionCallContent call, in StreamSummary summary)
    {
        var json = sse.BeginEvent("tool_call"u8);
        json.WriteStartObject();
        json.WriteString("id"u8, call.CallId);
        json.WriteString("name"u8, call.Name);
        json.WritePropertyName("arguments"u8);
        ChatToolMapping.ArgumentsOf(call).WriteTo(json);
        json.WriteEndObject();
        sse.EndEvent();
    }

    public override void WriteEnd(SseWriter sse, in StreamSummary summary)
    {
        var json = sse.BeginEvent("done"u8);
        JsonSerializer.Serialize(
            json,
            new ChatStreamDoneBody(
                ConversationId: turn.ConversationId,
                MessageId: turn.ReplyMessageId,
                ProfileId: turn.Profile?.Id,
                ModelKey: turn.AnsweringRoute.Value,
                Model: summary.ModelId ?? turn.Route.Model,
                Usage: ChatRequestMapping.ToUsage(summary.Usage),
                FinishReason: summary.FinishReason?.Value),
            GatewayJsonContext.Default.ChatStreamDoneBody);
        sse.EndEvent();
    }
}
