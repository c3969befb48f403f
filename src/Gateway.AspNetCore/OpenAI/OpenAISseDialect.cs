using System.Text.Json;
using Gateway.AspNetCore.Internal;
using Gateway.Core.Chat;
using Microsoft.Extensions.AI;

namespace Gateway.AspNetCore.OpenAI;

/// <summary>
/// OpenAI's <c>chat.completion.chunk</c> stream: the role in the first delta, a final chunk with
/// <c>finish_reason</c>, a usage chunk with empty <c>choices</c> when asked for, then
/// <c>data: [DONE]</c>. A tool call is relayed piece by piece as the upstream streamed it
/// (<see cref="FunctionCallFragmentContent"/>: its <c>index</c>, the <c>id</c>, <c>type</c> and name on the first piece,
/// then pieces of its arguments); a call that arrives only whole is two chunks, as OpenAI starts one: its index, id, type
/// and name with empty arguments, then its arguments (see ADR 0018). A delta
/// whose update carries the upstream's log probabilities (<see cref="ChatLogprobs"/>) has them as its choice's
/// <c>logprobs</c>. A request for several choices (<c>n</c>) gets every choice's deltas with its <c>index</c>
/// (<see cref="ChatChoices"/>), the role on each choice's first, and a <c>finish_reason</c> chunk per choice at the end;
/// tool calls are choice 0's. Failures after the start are a bare <c>data: {"error":…}</c> line, the only kind of line OpenAI
/// clients read.
/// </summary>
internal sealed class OpenAISseDialect(long created, string model, bool includeUsage) : SseDialect
{
    private string? _id;
    private bool _firstDelta = true;
    private int _toolCalls;
    private JsonElement? _logprobs;
    private HashSet<string>? _relayedCalls;
    private int _choice;
    private SortedDictionary<int, string?>? _otherChoices;
    private HashSet<int>? _startedChoices;

    public override bool NamedErrorEvent => false;

    public override void Observe(ChatResponseUpdate update)
    {
        _logprobs = ChatLogprobs.Get(update);
        _choice = ChatChoices.IndexOf(update);
        if (_choice == 0)
        {
            return;
        }

        _otherChoices ??= [];
        if (update.FinishReason is { } reason)
        {
            _otherChoices[_choice] = reason.Value;
        }
        else
        {
            _otherChoices.TryAdd(_choice, null);
        }
    }

    public override void WriteDelta(SseWriter sse, string text, in StreamSummary summary)
    {
        var json = BeginChoice(sse, summary, _choice);
        json.WriteStartObject("delta"u8);
        if (_choice == 0 ? _firstDelta : (_startedChoices ??= []).Add(_choice))
        {
            json.WriteString("role"u8, "assistant"u8);
            _firstDelta = _firstDelta && _choice != 0;
        }

        json.WriteString("content"u8, text);
        json.WriteEndObject();
        if (_logprobs is { } logprobs)
        {
            json.WritePropertyName("logprobs"u8);
            logprobs.WriteTo(json);
        }

        json.WriteNull("finish_reason"u8);
        EndChoice(json);
        sse.EndEvent();
    }

    public override void WriteToolCallFragment(SseWriter sse, FunctionCallFragmentContent fragment, in StreamSummary summary)
    {
        var json = BeginToolCall(sse, summary, fragment.Index);
        if (fragment.CallId is { } id)
        {
            json.WriteString("id"u8, id);
            json.WriteString("type"u8, "function"u8);
            (_relayedCalls ??= []).Add(id);
        }

        json.WriteStartObject("function"u8);
        if (fragment.Name is { } name)
        {
            json.WriteString("name"u8, name);
        }

        json.WriteString("arguments"u8, fragment.Arguments);
        EndToolCall(json);
        sse.EndEvent();
        _toolCalls = Math.Max(_toolCalls, fragment.Index + 1);
    }

    public override void WriteToolCall(SseWriter sse, FunctionCallContent call, in StreamSummary summary)
    {
        if (_relayedCalls?.Contains(call.CallId) == true)
        {
            // Its pieces went out as they came.
            return;
        }

        var index = _toolCalls++;
        var json = BeginToolCall(sse, summary, index);
        json.WriteString("id"u8, call.CallId);
        json.WriteString("type"u8, "function"u8);
        json.WriteStartObject("function"u8);
        json.WriteString("name"u8, call.Name);
        json.WriteString("arguments"u8, ""u8);
        EndToolCall(json);
        sse.EndEvent();

        json = BeginToolCall(sse, summary, index);
        json.WriteStartObject("function"u8);
        json.WriteString("arguments"u8, ToolCallJson.ArgumentsOf(call));
        EndToolCall(json);
        sse.EndEvent();
    }

    public override void WriteEnd(SseWriter sse, in StreamSummary summary)
    {
        WriteFinish(sse, summary, 0, summary.FinishReason?.Value);
        if (_otherChoices is not null)
        {
            foreach (var (choice, finishReason) in _otherChoices)
            {
                WriteFinish(sse, summary, choice, finishReason);
            }
        }

        if (includeUsage)
        {
            var input = summary.Usage?.InputTokenCount ?? 0;
            var output = summary.Usage?.OutputTokenCount ?? 0;
            var usage = BeginChunk(sse, summary);
            usage.WriteStartArray("choices"u8);
            usage.WriteEndArray();
            usage.WriteStartObject("usage"u8);
            usage.WriteNumber("prompt_tokens"u8, input);
            usage.WriteNumber("completion_tokens"u8, output);
            usage.WriteNumber("total_tokens"u8, input + output);
            usage.WriteEndObject();
            usage.WriteEndObject();
            sse.EndEvent();
        }

        sse.WriteRaw("data: [DONE]\n\n"u8);
    }

    private Utf8JsonWriter BeginChunk(SseWriter sse, in StreamSummary summary)
    {
        // Every chunk of a stream carries the same id: the upstream's, else one of our own.
        _id ??= OpenAICompletionIds.From(summary.ResponseId);
        var json = sse.BeginEvent();
        json.WriteStartObject();
        json.WriteString("id"u8, _id);
        json.WriteString("object"u8, "chat.completion.chunk"u8);
        json.WriteNumber("created"u8, created);
        json.WriteString("model"u8, model);
        return json;
    }

    private void WriteFinish(SseWriter sse, in StreamSummary summary, int choice, string? finishReason)
    {
        var json = BeginChoice(sse, summary, choice);
        json.WriteStartObject("delta"u8);
        json.WriteEndObject();
        json.WriteString("finish_reason"u8, finishReason ?? "stop");
        EndChoice(json);
        sse.EndEvent();
    }

    private Utf8JsonWriter BeginChoice(SseWriter sse, in StreamSummary summary, int choice)
    {
        var json = BeginChunk(sse, summary);
        json.WriteStartArray("choices"u8);
        json.WriteStartObject();
        json.WriteNumber("index"u8, choice);
        return json;
    }

    private Utf8JsonWriter BeginToolCall(SseWriter sse, in StreamSummary summary, int index)
    {
        var json = BeginChoice(sse, summary, 0);
        json.WriteStartObject("delta"u8);
        if (_firstDelta)
        {
            json.WriteString("role"u8, "assistant"u8);
            json.WriteNull("content"u8);
            _firstDelta = false;
        }

        json.WriteStartArray("tool_calls"u8);
        json.WriteStartObject();
        json.WriteNumber("index"u8, index);
        return json;
    }

    private static void EndToolCall(Utf8JsonWriter json)
    {
        json.WriteEndObject(); // function
        json.WriteEndObject(); // the call
        json.WriteEndArray();
        json.WriteEndObject(); // delta
        json.WriteNull("finish_reason"u8);
        EndChoice(json);
    }

    private static void EndChoice(Utf8JsonWriter json)
    {
        json.WriteEndObject();
        json.WriteEndArray();
        json.WriteEndObject();
    }
}
