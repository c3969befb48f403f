namespace Gateway.Storage.Sqlite.Conversations;

/// <summary>A queued write whose caller awaits a <typeparamref name="T"/>.</summary>
internal sealed class GroupCommitItem<T>(Func<GroupCommitBatch, T> apply) : GroupCommitItem
{
    // Completions happen on the writer's loop; callers must not run their continuations there.
    private readonly TaskCompletionSource<T> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private T? _result;

    /// <summary>Ends when the write is committed, failed, or cancelled before it was taken.</summary>
    public Task<T> Task => _completion.Task;

    /// <inheritdoc />
    public override void Apply(GroupCommitBatch batch) => _result = apply(batch);

    /// <inheritdoc />
    public override void Succeed() => _completion.TrySetResult(_result!);

    /// <inheritdoc />
    public override void Fail(Exception error) => _completion.TrySetException(error);

    /// <inheritdoc />
    protected override void Cancel(CancellationToken cancellationToken) => _completion.TrySetCanceled(cancellationToken);
}
