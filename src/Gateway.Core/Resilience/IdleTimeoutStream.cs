namespace Gateway.Core.Resilience;

/// <summary>
/// A read-only view of an upstream answer that fails a read when no byte arrives within
/// <c>READ_TIMEOUT_SECONDS</c>. Only a waiting read counts, so a slow consumer is never mistaken for a
/// silent upstream. One timer per stream checks the waiting read's start time; a read itself only
/// writes a timestamp, so the hot path never touches the timer queue.
/// </summary>
internal sealed class IdleTimeoutStream : Stream
{
    private readonly Stream _inner;
    private readonly TimeSpan _timeout;
    private readonly TimeProvider _time;
    private readonly Func<Exception, Exception> _onTimeout;
    private readonly CancellationTokenSource _idle = new();
    private readonly ITimer _watchdog;
    private CancellationToken _linkedFor;
    private CancellationTokenSource? _linked;

    /// <summary>When the read now waiting began (a <see cref="TimeProvider"/> timestamp), or 0 when none waits.</summary>
    private long _waitingSince;

    public IdleTimeoutStream(Stream inner, TimeSpan timeout, TimeProvider time, Func<Exception, Exception> onTimeout)
    {
        _inner = inner;
        _timeout = timeout;
        _time = time;
        _onTimeout = onTimeout;
        _watchdog = time.CreateTimer(static state => ((IdleTimeoutStream)state!).Check(), this, timeout, Timeout.InfiniteTimeSpan);
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

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        Volatile.Write(ref _waitingSince, _time.GetTimestamp());
        var read = _inner.ReadAsync(buffer, LinkedToken(cancellationToken));
        if (read.IsCompletedSuccessfully)
        {
            Volatile.Write(ref _waitingSince, 0);
            return read;
        }

        return AwaitReadAsync(read, cancellationToken);
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
            _watchdog.Dispose();
            _linked?.Dispose();
            _idle.Dispose();
            _inner.Dispose();
        }

        base.Dispose(disposing);
    }

    private async ValueTask<int> AwaitReadAsync(ValueTask<int> read, CancellationToken cancellationToken)
    {
        try
        {
            return await read.ConfigureAwait(false);
        }
        catch (Exception ex) when (_idle.IsCancellationRequested && !cancellationToken.IsCancellationRequested
            && ex is OperationCanceledException or IOException or HttpRequestException)
        {
            throw _onTimeout(ex);
        }
        finally
        {
            Volatile.Write(ref _waitingSince, 0);
        }
    }

    /// <summary>The watchdog: cancels a read that has waited the whole timeout, else looks again when it could.</summary>
    private void Check()
    {
        var since = Volatile.Read(ref _waitingSince);
        var waited = since == 0 ? TimeSpan.Zero : _time.GetElapsedTime(since);
        if (waited >= _timeout)
        {
            _idle.Cancel();
            return;
        }

        try
        {
            _watchdog.Change(_timeout - waited, Timeout.InfiniteTimeSpan);
        }
        catch (ObjectDisposedException)
        {
            // The stream was disposed between the tick and now.
        }
    }

    /// <summary>The caller's token joined with the idle signal; readers pass the same token every time, so it is linked once.</summary>
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
