using System.Buffers.Text;

namespace Gateway.Benchmarks.Infrastructure;

/// <summary>
/// The content of a chunk in the concurrency benchmark: the <see cref="System.Diagnostics.Stopwatch"/>
/// timestamp of the moment the upstream wrote it, as <c>T&lt;digits&gt;Z</c>. Letters and digits pass
/// unescaped through every JSON encoder, so the stamp reads the same on the upstream's wire, the relay's
/// and the gateway's own events.
/// </summary>
public static class ChunkStamp
{
    /// <summary>Writes the stamp of <paramref name="timestamp"/>; the destination must hold 21 bytes.</summary>
    public static int Write(Span<byte> destination, long timestamp)
    {
        destination[0] = (byte)'T';
        Utf8Formatter.TryFormat(timestamp, destination[1..], out var digits);
        destination[1 + digits] = (byte)'Z';
        return digits + 2;
    }

    /// <summary>
    /// Finds stamps in a byte stream read in arbitrary pieces: a stamp split across two reads is still
    /// found, once, in the read that completes it.
    /// </summary>
    public struct Scanner
    {
        private long _value;
        private int _digits;
        private bool _inStamp;

        /// <summary>Scans <paramref name="bytes"/> and calls <paramref name="found"/> with each complete stamp.</summary>
        public void Scan<TState>(ReadOnlySpan<byte> bytes, TState state, Action<TState, long> found)
        {
            foreach (var b in bytes)
            {
                if (b == (byte)'T')
                {
                    (_inStamp, _value, _digits) = (true, 0, 0);
                }
                else if (_inStamp && b is >= (byte)'0' and <= (byte)'9')
                {
                    _value = (_value * 10) + (b - '0');
                    _digits++;
                }
                else
                {
                    if (_inStamp && b == (byte)'Z' && _digits > 0)
                    {
                        found(state, _value);
                    }

                    _inStamp = false;
                }
            }
        }
    }
}
