using System.Buffers;
using System.Text;
using System.Text.Json;
using Gateway.Core.Chat;
using Microsoft.Extensions.AI;

namespace Gateway.Core.Providers.OpenAI;

/// <summary>
/// Gathers the <c>tool_calls</c> of a completion or a stream: a streamed call arrives as fragments keyed by
/// its <c>index</c> (the id and name first, the arguments' text in pieces, several calls interleaved), so
/// the pieces are kept per index and each call becomes one <see cref="FunctionCallContent"/> when the
/// answer says it is done; each piece read is also kept as a <see cref="FunctionCallFragmentContent"/> until
/// taken, for relays that pass the pieces on as they come (see docs/adr/0018).
/// </summary>
internal sealed class OpenAIToolCallAccumulator
{
    private readonly List<PendingCall> _calls = [];
    private readonly List<FunctionCallFragmentContent> _fragments = [];

    public bool HasCalls => _calls.Count > 0;

    /// <summary>Whether pieces were read since they were last taken.</summary>
    public bool HasFragments => _fragments.Count > 0;

    /// <summary>Reads one <c>tool_calls</c> array; <paramref name="reader"/> is on its first token.</summary>
    public void Read(ref Utf8JsonReader reader)
    {
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            reader.Skip();
            return;
        }

        var position = 0;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType == JsonTokenType.StartObject)
            {
                // A whole completion's calls carry no index: their place in the array is theirs.
                var lookahead = reader;
                var call = Find(IndexOf(ref lookahead) ?? position);
                var argumentsBefore = call.Arguments.WrittenCount;
                var named = ReadCall(ref reader, call);
                _fragments.Add(Fragment(call, named, argumentsBefore));
            }
            else
            {
                reader.Skip();
            }

            position++;
        }
    }

    /// <summary>Moves the pieces read since the last call into <paramref name="contents"/>, in the order they came.</summary>
    public void TakeFragments(IList<AIContent> contents)
    {
        foreach (var fragment in _fragments)
        {
            contents.Add(fragment);
        }

        _fragments.Clear();
    }

    /// <summary>The calls gathered so far, in index order, as complete calls; the accumulator starts over.</summary>
    public List<FunctionCallContent> TakeCalls()
    {
        _calls.Sort(static (a, b) => a.Index.CompareTo(b.Index));
        var calls = new List<FunctionCallContent>(_calls.Count);
        foreach (var pending in _calls)
        {
            calls.Add(ToolCallJson.CreateCall(pending.Id ?? NewCallId(), pending.Name ?? string.Empty, Encoding.UTF8.GetString(pending.Arguments.WrittenSpan)));
        }

        _calls.Clear();
        _fragments.Clear();
        return calls;
    }

    private static string NewCallId() => "call_" + Guid.CreateVersion7().ToString("N");

    /// <summary>
    /// The piece just read: the call's first one carries its id (one is made now when the upstream sent none, so the
    /// whole call has the same) and the name when it came, later ones only their arguments' text.
    /// </summary>
    private static FunctionCallFragmentContent Fragment(PendingCall call, bool named, int argumentsBefore)
    {
        string? id = null;
        if (!call.Announced)
        {
            id = call.Id ??= NewCallId();
            call.Announced = true;
        }

        var arguments = call.Arguments.WrittenCount > argumentsBefore
            ? Encoding.UTF8.GetString(call.Arguments.WrittenSpan[argumentsBefore..])
            : string.Empty;
        return new FunctionCallFragmentContent(call.Index, id, named ? call.Name : null, arguments);
    }

    private static int? IndexOf(ref Utf8JsonReader reader)
    {
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var isIndex = reader.ValueTextEquals("index"u8);
            reader.Read();
            if (isIndex && reader.TokenType == JsonTokenType.Number && reader.TryGetInt32(out var index))
            {
                return index;
            }

            reader.Skip();
        }

        return null;
    }

    private PendingCall Find(int index)
    {
        foreach (var pending in _calls)
        {
            if (pending.Index == index)
            {
                return pending;
            }
        }

        var added = new PendingCall(index);
        _calls.Add(added);
        return added;
    }

    /// <summary>Reads one piece of <paramref name="call"/>; says whether it brought the call's name.</summary>
    private static bool ReadCall(ref Utf8JsonReader reader, PendingCall call)
    {
        var named = false;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("id"u8))
            {
                reader.Read();
                if (call.Id is null && reader.TokenType == JsonTokenType.String)
                {
                    call.Id = reader.GetString();
                }
            }
            else if (reader.ValueTextEquals("function"u8))
            {
                reader.Read();
                named |= ReadFunction(ref reader, call);
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }

        return named;
    }

    private static bool ReadFunction(ref Utf8JsonReader reader, PendingCall call)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            reader.Skip();
            return false;
        }

        var named = false;

        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("name"u8))
            {
                reader.Read();
                if (string.IsNullOrEmpty(call.Name) && reader.TokenType == JsonTokenType.String)
                {
                    call.Name = reader.GetString();
                    named = true;
                }
            }
            else if (reader.ValueTextEquals("arguments"u8))
            {
                reader.Read();
                if (reader.TokenType == JsonTokenType.String)
                {
                    // Unescaped straight into the call's buffer: escapes only ever shorten the text.
                    var written = reader.CopyString(call.Arguments.GetSpan(reader.ValueSpan.Length));
                    call.Arguments.Advance(written);
                }
                else
                {
                    reader.Skip();
                }
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }

        return named;
    }

    private sealed class PendingCall(int index)
    {
        public int Index { get; } = index;

        public string? Id { get; set; }

        /// <summary>Whether the call's first piece was handed out (with its id).</summary>
        public bool Announced { get; set; }

        public string? Name { get; set; }

        public ArrayBufferWriter<byte> Arguments { get; } = new(256);
    }
}
