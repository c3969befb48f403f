namespace Gateway.Core.Tests.Storage.Archive;

/// <summary>A read-only stream that hands out at most <c>chunk</c> bytes per read, like a slow upload.</summary>
internal sealed class TrickleStream(byte[] data, int chunk = 1) : ForwardOnlyReadStream
{
    private int _position;

    public int Reads { get; private set; }

    public override int Read(Span<byte> buffer)
    {
        Reads++;
        var count = Math.Min(Math.Min(chunk, buffer.Length), data.Length - _position);
        data.AsSpan(_position, count).CopyTo(buffer);
        _position += count;
        return count;
    }
}
