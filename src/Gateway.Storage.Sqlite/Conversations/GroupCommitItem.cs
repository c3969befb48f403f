namespace Gateway.Storage.Sqlite.Conversations;

/// <summary>
/// One write waiting for <see cref="GroupCommitWriter"/>. The caller's cancellation wins only while
/// the write is queued; once the writer has taken it, it ends with its batch, because after that the
/// caller cannot know whether its row will be committed.
/// </summary>
internal abstract class GroupCommitItem
{
    private const int Queued = 0;
    private const int Taken = 1;
    private const int Cancelled = 2;

    private int _state;
    private CancellationTokenRegistration _cancellation;

    /// <summary>Cancels the item if <paramref name="cancellationToken"/> fires before the writer takes it.</summary>
    /// <returns><see langword="false"/> when it was cancelled already, so it need not be queued.</returns>
    public bool WatchCancellation(CancellationToken cancellationToken)
    {
        if (cancellationToken.CanBeCanceled)
        {
            _cancellation = cancellationToken.UnsafeRegister(static (state, token) => ((GroupCommitItem)state!).TryCancel(token), this);
        }

        return Volatile.Read(ref _state) == Queued;
    }

    /// <summary>Claims the item for a batch; <see langword="false"/> when its caller cancelled it first.</summary>
    public bool TryTake()
    {
        if (Interlocked.CompareExchange(ref _state, Taken, Queued) != Queued)
        {
            return false;
        }

        // Unregister, not Dispose: Dispose would wait for a callback running on another thread.
        _cancellation.Unregister();
        return true;
    }

    /// <summary>Runs the write inside the batch's transaction (and the item's savepoint); throwing fails this item alone.</summary>
    public abstract void Apply(GroupCommitBatch batch);

    /// <summary>Completes the caller's task with what <see cref="Apply"/> produced; called only after COMMIT returned.</summary>
    public abstract void Succeed();

    /// <summary>Fails the caller's task (a no-op when it has completed already).</summary>
    public abstract void Fail(Exception error);

    /// <summary>Cancels the caller's task.</summary>
    protected abstract void Cancel(CancellationToken cancellationToken);

    private void TryCancel(CancellationToken cancellationToken)
    {
        if (Interlocked.CompareExchange(ref _state, Cancelled, Queued) == Queued)
        {
            Cancel(cancellationToken);
        }
    }
}
