using Gateway.Core.Chat;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.AI;

namespace Gateway.AspNetCore.Internal;

/// <summary>How one streaming endpoint spells its events: the gateway's own API or OpenAI's chunks.</summary>
internal abstract class SseDialect
{
    /// <summary>Whether an error after the stream started is an <c>event: error</c> (else a bare <c>data:</c> line).</summary>
    public abstract bool NamedErrorEvent { get; }

    /// <summary>Writes the events that open a stream, once its first update has arrived and before any delta, without flushing; by default none.</summary>
    public virtual void WriteStart(SseWriter sse)
    {
    }

    /// <summary>Sees each update before its contents are written, for what a dialect relays beyond text and tool calls; by default nothing.</summary>
    public virtual void Observe(ChatResponseUpdate update)
    {
    }

    /// <summary>Writes one text delta as a complete event, without flushing.</summary>
    public abstract void WriteDelta(SseWriter sse, string text, in StreamSummary summary);

    /// <summary>
    /// Writes one piece of a tool call as the upstream streamed it, without flushing; by default nothing, since the
    /// whole call follows (<see cref="WriteToolCall"/>).
    /// </summary>
    public virtual void WriteToolCallFragment(SseWriter sse, FunctionCallFragmentContent fragment, in StreamSummary summary)
    {
    }

    /// <summary>Writes one complete tool call (its arguments as the model wrote them, see <c>ToolCallJson</c>) as events, without flushing.</summary>
    public abstract void WriteToolCall(SseWriter sse, FunctionCallContent call, in StreamSummary summary);

    /// <summary>Writes the events that close a successful stream, without flushing.</summary>
    public abstract void WriteEnd(SseWriter sse, in StreamSummary summary);

    /// <summary>
    /// Writes the dialect's own event for a failure after the stream started, without flushing, and says whether it
    /// did; by default it does not, and the problem itself is the event's data (see <see cref="NamedErrorEvent"/>).
    /// </summary>
    public virtual bool WriteError(SseWriter sse, ProblemDetails problem) => false;
}
