using System.Buffers.Binary;
using System.Security.Cryptography;

namespace Gateway.Core.Storage.Conversations;

/// <summary>
/// Creates the ids of conversations and messages: UUIDv7 (RFC 9562) in canonical lowercase text, so
/// ordering ids as strings is ordering them by creation time. Within one process ids are strictly
/// increasing even inside one millisecond: the 12 bits after the version hold a counter (RFC 9562
/// §6.2, method 1), which keeps keyset pagination by id stable for rapid appends.
/// </summary>
public static class SortableId
{
    private static readonly Lock Gate = new();
    private static long _lastMilliseconds;
    private static int _counter;

    /// <summary>A new id for the current time of <paramref name="time"/>.</summary>
    public static string Create(TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(time);
        return Create(time.GetUtcNow());
    }

    /// <summary>
    /// A new id for <paramref name="timestamp"/>; used for imported data so that an old conversation
    /// sorts where its creation time puts it. Monotonic only while timestamps do not go backwards.
    /// </summary>
    public static string Create(DateTimeOffset timestamp)
    {
        var milliseconds = Math.Max(0, timestamp.ToUnixTimeMilliseconds());
        int counter;
        lock (Gate)
        {
            if (milliseconds > _lastMilliseconds)
            {
                _lastMilliseconds = milliseconds;
                counter = _counter = RandomNumberGenerator.GetInt32(0x400);
            }
            else if (milliseconds >= _lastMilliseconds - 1000)
            {
                // The same millisecond, or the clock stepped back a little: stay on the last millisecond and
                // count; after 4,096 ids in one millisecond, borrow the next one.
                if (_counter < 0xFFF)
                {
                    milliseconds = _lastMilliseconds;
                    counter = ++_counter;
                }
                else
                {
                    milliseconds = ++_lastMilliseconds;
                    counter = _counter = 0;
                }
            }
            else
            {
                // An old timestamp (imported data): its own place in time, not this process's sequence.
                counter = RandomNumberGenerator.GetInt32(0x1000);
            }
        }

        Span<byte> bytes = stackalloc byte[16];
        RandomNumberGenerator.Fill(bytes[8..]);
        BinaryPrimitives.WriteInt64BigEndian(bytes, milliseconds << 16);
        bytes[6] = (byte)(0x70 | (counter >> 8));
        bytes[7] = (byte)counter;
        bytes[8] = (byte)(0x80 | (bytes[8] & 0x3F));
        return new Guid(bytes, bigEndian: true).ToString("D");
    }

    /// <summary>Whether <paramref name="value"/> has the shape of a gateway id (a UUID in canonical text).</summary>
    public static bool IsWellFormed(string? value) =>
        value is { Length: 36 } && Guid.TryParseExact(value, "D", out _);
}
