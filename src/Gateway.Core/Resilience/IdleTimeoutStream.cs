namespace Gateway.Core.Resilience;

/// <summary>
/// A read-only view of an upstream answer that fails a read when no byte arrives within
/// <c>READ_TIMEOUT_SECONDS</c>. The timer runs only while a read is waiting, so a slow consumer is
/// never mistaken for a silent upstream.
/// </summary>
internal sealed class IdleTimeoutStream : Stream
{
    private readonly Stream _inner;
    private readonly TimeSpan _timeout;
    private readonly Func<Exception, Exception> _onTimeout;
    private readonly CancellationTokenSource _idle;
    private CancellationToken _linkedFor;
    private CancellationTokenSource? _linked;

    public IdleTimeoutStream(Stream inner, TimeSpan timeout, TimeProvider time, Func<Exception, Exception> onTimeout)
    {
        _inner = inner;
        _timeout = timeout;
        _onTimeout = onTimeout;
        _idle = new CancellationTokenSource(Timeout.InfiniteTimeSpan, time);
    }

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var token = LinkedToken(cancellationToken);
        _idle.CancelAfter(_timeout);
        try
        {
            return await _inner.ReadAsync(buffer, token).ConfigureAwait(false);
        }
        catch (Exception ex) when (_idle.IsCancellationRequested && !cancellationToken.IsCancellationRequested
            && ex is OperationCanceledException or IOException or HttpRequestException)
        {
            throw _onTimeout(ex);
        }
        finally
        {
            if (!_idle.IsCancellationRequested)
            {
                _idle.CancelAfter(Timeout.InfiniteTimeSpan);
            }
        }
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    /// <summary>Synchronous reads are passed through without the idle timer; the gateway only reads asynchronously.</summary>
    public override int Read(byte[] buffer, int offset, int count) => _inner.Read(buffer, offset, count);

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _linked?.Dispose();
            _idle.Dispose();
            _inner.Dispose();
        }

        base.Dispose(disposing);
    }

    /// <summary>The caller's token joined with the idle timer; readers pass the same token every time, so it is linked once.</summary>
    private CancellationToken LinkedToken(CancellationToken cancellationToken)
    {
        if (!cancellationToken.CanBeCanceled)
        {
            return _idle.Token;
        }

        if (_linked is null || cancellationToken != _linkedFor)
        {
            _linked?.Dispose();
            _linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _idle.Token);
            _linkedFor = cancellationToken;
        }

        return _linked.Token;
    }
}
