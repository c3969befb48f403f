using System.Text;
using System.Text.Json;
using Gateway.AspNetCore.Internal;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.AI;

namespace Gateway.AspNetCore.OpenAI.Responses;

/// <summary>
/// The Responses API's typed event stream: each event named by its <c>type</c> and numbered by
/// <c>sequence_number</c>. <c>response.created</c> and <c>response.in_progress</c> open it with the first
/// text or call; the message item, its <c>output_text</c> part and the text deltas follow, and each function call as an
/// item with its arguments (one delta, as the call arrives whole); <c>response.completed</c>
/// (or <c>response.incomplete</c>) closes it with the whole output and usage. A failure after the start is
/// <c>response.failed</c> carrying the gateway's errorCode and detail.
/// </summary>
internal sealed class ResponsesSseDialect(ResponseBodies bodies) : SseDialect
{
    private readonly StringBuilder _text = new();
    private readonly List<FunctionCallContent> _calls = [];
    private int _sequence;
    private int? _messageIndex;
    private bool _started;
    private bool _messageOpen;

    public override bool NamedErrorEvent => true;

    public override void WriteDelta(SseWriter sse, string text, in StreamSummary summary)
    {
        Start(sse);
        if (!_messageOpen)
        {
            _messageOpen = true;
            var added = Begin(sse, "response.output_item.added"u8);
            added.WriteNumber("output_index"u8, MessageIndex);
            added.WritePropertyName("item"u8);
            WriteItem(added, bodies.Message(string.Empty, "in_progress"));
            End(sse, added);

            var part = BeginPart(sse, "response.content_part.added"u8);
            WritePart(part, string.Empty);
            End(sse, part);
        }

        var delta = BeginPart(sse, "response.output_text.delta"u8);
        delta.WriteString("delta"u8, text);
        delta.WriteStartArray("logprobs"u8);
        delta.WriteEndArray();
        End(sse, delta);
        _text.Append(text);
    }

    /// <summary>A call arrives whole: its item opens, its arguments go as one delta, then it is done.</summary>
    public override void WriteToolCall(SseWriter sse, FunctionCallContent call, in StreamSummary summary)
    {
        Start(sse);
        CloseMessage(sse);
        var index = OutputCount;
        _calls.Add(call);
        var item = ResponseBodies.FunctionCall(call);

        var added = Begin(sse, "response.output_item.added"u8);
        added.WriteNumber("output_index"u8, index);
        added.WritePropertyName("item"u8);
        WriteItem(added, ResponseBodies.FunctionCall(call, "in_progress"));
        End(sse, added);

        var delta = Begin(sse, "response.function_call_arguments.delta"u8);
        delta.WriteString("item_id"u8, item.Id);
        delta.WriteNumber("output_index"u8, index);
        delta.WriteString("delta"u8, item.Arguments);
        End(sse, delta);

        var done = Begin(sse, "response.function_call_arguments.done"u8);
        done.WriteString("item_id"u8, item.Id);
        done.WriteNumber("output_index"u8, index);
        done.WriteString("name"u8, item.Name);
        done.WriteString("arguments"u8, item.Arguments);
        End(sse, done);

        var itemDone = Begin(sse, "response.output_item.done"u8);
        itemDone.WriteNumber("output_index"u8, index);
        itemDone.WritePropertyName("item"u8);
        WriteItem(itemDone, item);
        End(sse, itemDone);
    }

    public override void WriteEnd(SseWriter sse, in StreamSummary summary)
    {
        Start(sse);
        CloseMessage(sse);
        var body = bodies.Finished(Output("completed"), summary.FinishReason, summary.Usage);
        WriteResponse(sse, body.Status == "completed" ? "response.completed"u8 : "response.incomplete"u8, body);
    }

    public override bool WriteError(SseWriter sse, ProblemDetails problem)
    {
        Start(sse);
        var code = problem.Extensions.TryGetValue("errorCode", out var errorCode) ? errorCode as string : null;
        WriteResponse(sse, "response.failed"u8, bodies.Failed(Output("incomplete"), code ?? "internal_error", problem.Detail ?? string.Empty));
        return true;
    }

    /// <summary>Where the message item is (or would be) in the output: first, unless calls came before its text.</summary>
    private int MessageIndex => _messageIndex ??= OutputCount;

    private int OutputCount => _calls.Count + (_messageIndex is null ? 0 : 1);

    private List<ResponseOutputItem> Output(string messageStatus)
    {
        var output = _calls.Select(call => (ResponseOutputItem)ResponseBodies.FunctionCall(call)).ToList();
        if (_messageIndex is { } at)
        {
            output.Insert(at, bodies.Message(_text.ToString(), messageStatus));
        }

        return output;
    }

    /// <summary>Ends the message item if its text is still open: a call or the end follows it.</summary>
    private void CloseMessage(SseWriter sse)
    {
        if (!_messageOpen)
        {
            return;
        }

        _messageOpen = false;
        var text = _text.ToString();
        var done = BeginPart(sse, "response.output_text.done"u8);
        done.WriteString("text"u8, text);
        done.WriteStartArray("logprobs"u8);
        done.WriteEndArray();
        End(sse, done);

        var part = BeginPart(sse, "response.content_part.done"u8);
        WritePart(part, text);
        End(sse, part);

        var item = Begin(sse, "response.output_item.done"u8);
        item.WriteNumber("output_index"u8, MessageIndex);
        item.WritePropertyName("item"u8);
        WriteItem(item, bodies.Message(text, "completed"));
        End(sse, item);
    }

    private void Start(SseWriter sse)
    {
        if (_started)
        {
            return;
        }

        _started = true;
        var body = bodies.InProgress();
        WriteResponse(sse, "response.created"u8, body);
        WriteResponse(sse, "response.in_progress"u8, body);
    }

    private void WriteResponse(SseWriter sse, ReadOnlySpan<byte> type, ResponseBody body)
    {
        var json = Begin(sse, type);
        json.WritePropertyName("response"u8);
        JsonSerializer.Serialize(json, body, ResponsesJsonContext.Default.ResponseBody);
        End(sse, json);
    }

    private Utf8JsonWriter Begin(SseWriter sse, ReadOnlySpan<byte> type)
    {
        var json = sse.BeginEvent(type);
        json.WriteStartObject();
        json.WriteString("type"u8, type);
        json.WriteNumber("sequence_number"u8, _sequence++);
        return json;
    }

    private Utf8JsonWriter BeginPart(SseWriter sse, ReadOnlySpan<byte> type)
    {
        var json = Begin(sse, type);
        json.WriteString("item_id"u8, bodies.MessageId);
        json.WriteNumber("output_index"u8, MessageIndex);
        json.WriteNumber("content_index"u8, 0);
        return json;
    }

    private static void WritePart(Utf8JsonWriter json, string text)
    {
        json.WritePropertyName("part"u8);
        JsonSerializer.Serialize(json, ResponseBodies.OutputText(text), ResponsesJsonContext.Default.ResponseOutputText);
    }

    private static void WriteItem(Utf8JsonWriter json, ResponseOutputItem item) =>
        JsonSerializer.Serialize(json, item, ResponsesJsonContext.Default.ResponseOutputItem);

    private static void End(SseWriter sse, Utf8JsonWriter json)
    {
        json.WriteEndObject();
        sse.EndEvent();
    }
}
