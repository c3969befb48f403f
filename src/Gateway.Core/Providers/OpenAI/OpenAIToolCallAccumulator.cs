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
/// answer says it is done (see docs/adr/0018).
/// </summary>
internal sealed class OpenAIToolCallAccumulator
{
    private readonly List<PendingCall> _calls = [];

    public bool HasCalls => _calls.Count > 0;

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
                ReadCall(ref reader, Find(IndexOf(ref lookahead) ?? position));
            }
            else
            {
                reader.Skip();
            }

            position++;
        }
    }

    /// <summary>The calls gathered so far, in index order, as complete calls; the accumulator starts over.</summary>
    public List<FunctionCallContent> TakeCalls()
    {
        _calls.Sort(static (a, b) => a.Index.CompareTo(b.Index));
        var calls = new List<FunctionCallContent>(_calls.Count);
        foreach (var pending in _calls)
        {
            calls.Add(ToolCallJson.CreateCall(
                pending.Id ?? "call_" + Guid.CreateVersion7().ToString("N"),
                pending.Name ?? string.Empty,
                Encoding.UTF8.GetString(pending.Arguments.WrittenSpan)));
        }

        _calls.Clear();
        return calls;
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

    private static void ReadCall(ref Utf8JsonReader reader, PendingCall call)
    {
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
                ReadFunction(ref reader, call);
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }
    }

    private static void ReadFunction(ref Utf8JsonReader reader, PendingCall call)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            reader.Skip();
            return;
        }

        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("name"u8))
            {
                reader.Read();
                if (string.IsNullOrEmpty(call.Name) && reader.TokenType == JsonTokenType.String)
                {
                    call.Name = reader.GetString();
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
    }

    private sealed class PendingCall(int index)
    {
        public int Index { get; } = index;

        public string? Id { get; set; }

        public string? Name { get; set; }

        public ArrayBufferWriter<byte> Arguments { get; } = new(256);
    }
}
