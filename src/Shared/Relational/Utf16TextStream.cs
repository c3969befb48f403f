using System.Runtime.InteropServices;

namespace Gateway.Storage.Relational;

/// <summary>
/// A document's text as the bytes both engines keep in <c>rag_document_texts.text_utf16</c>: its UTF-16 code units in
/// the machine's byte order (little-endian wherever .NET runs), read straight out of the string, so writing a text of
/// millions of characters copies it a buffer at a time and never whole. Character <c>i</c> is bytes <c>2i</c> and <c>2i + 1</c>.
/// </summary>
internal sealed class Utf16TextStream(string text) : Stream
{
    private long _position;

    public override bool CanRead => true;

    public override bool CanSeek => true;

    public override bool CanWrite => false;

    public override long Length => text.Length * 2L;

    public override long Position
    {
        get => _position;
        set
        {
            ArgumentOutOfRangeException.ThrowIfNegative(value);
            _position = value;
        }
    }

    /// <summary>The text of bytes read back from <c>text_utf16</c> (an even count).</summary>
    public static string Decode(ReadOnlySpan<byte> bytes) => new(MemoryMarshal.Cast<byte, char>(bytes));

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        var bytes = MemoryMarshal.AsBytes(text.AsSpan());
        if (_position >= bytes.Length)
        {
            return 0;
        }

        var count = (int)Math.Min(buffer.Length, bytes.Length - _position);
        bytes.Slice((int)_position, count).CopyTo(buffer);
        _position += count;
        return count;
    }

    public override long Seek(long offset, SeekOrigin origin) => Position = origin switch
    {
        SeekOrigin.Begin => offset,
        SeekOrigin.Current => _position + offset,
        _ => Length + offset,
    };

    public override void Flush()
    {
    }

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
