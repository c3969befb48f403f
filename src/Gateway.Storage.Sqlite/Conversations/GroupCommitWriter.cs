using System.Threading.Channels;

namespace Gateway.Storage.Sqlite.Conversations;

/// <summary>
/// Group commit for one <see cref="SqliteDatabase"/>: callers queue writes, and a single loop takes
/// everything waiting (up to <see cref="MaxBatch"/>), runs each write inside its own savepoint of one
/// <c>BEGIN IMMEDIATE</c> transaction and commits once. SQLite admits one writer at a time anyway, and
/// a commit (an FTS5 segment, the WAL frame headers) costs about as much as the row it carries, so
/// sharing it is where the throughput comes from; the batch's messages are added to the search index
/// together, in the same transaction. The loop never waits for a timer: a lone write is
/// taken as soon as it is queued, and batches only form from writes that queued while the previous
/// commit ran. A caller's task completes only after COMMIT returned (durable in WAL); a write that
/// throws rolls back to its savepoint and fails alone; if BEGIN (after the busy retries) or COMMIT
/// fails, every write of the batch fails with that error and none is reported as stored.
/// </summary>
internal sealed class GroupCommitWriter : IAsyncDisposable
{
    /// <summary>The most writes one transaction carries, so one batch's latency stays bounded.</summary>
    public const int MaxBatch = 256;

    // Callers wait on their own tasks, so the queue holds at most one write per concurrent caller;
    // the bound only matters for a flood of fire-and-forget appends, which then wait for room.
    private const int QueueCapacity = 4096;

    private const string NextSeqSql =
        "SELECT max(coalesce((SELECT max(seq) FROM messages), 0), coalesce((SELECT max(last_seq) FROM search_backlog), 0)) + 1";

    private const string DeferIndexingSql = "UPDATE search_index_state SET deferred = 1 WHERE id = 1";
    private const string ResumeIndexingSql = "UPDATE search_index_state SET deferred = 0 WHERE id = 1";
    private const string IndexBatchSql = "INSERT INTO messages_fts (rowid, content) SELECT seq, content FROM messages WHERE seq >= $first";

    private readonly SqliteDatabase _database;
    private readonly Channel<GroupCommitItem> _queue = Channel.CreateBounded<GroupCommitItem>(
        new BoundedChannelOptions(QueueCapacity) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });

    private readonly Task _loop;

    /// <summary>Starts the writer's loop; it holds one connection open until <see cref="DisposeAsync"/>.</summary>
    public GroupCommitWriter(SqliteDatabase database)
    {
        _database = database;

        // The loop outlives the append that started it: it must not carry that caller's async-locals
        // (its Activity, logging scopes) into every later batch.
        using (ExecutionContext.SuppressFlow())
        {
            _loop = Task.Run(RunAsync);
        }
    }

    /// <summary>Queues <paramref name="apply"/>; the task ends once its batch is committed, or with its error.</summary>
    /// <exception cref="ObjectDisposedException">The writer was stopped.</exception>
    public Task<T> EnqueueAsync<T>(Func<GroupCommitBatch, T> apply, CancellationToken cancellationToken)
    {
        if (cancellationToken.IsCancellationRequested)
        {
            return Task.FromCanceled<T>(cancellationToken);
        }

        var item = new GroupCommitItem<T>(apply);
        if (!item.WatchCancellation(cancellationToken))
        {
            return item.Task;
        }

        return _queue.Writer.TryWrite(item) ? item.Task : EnqueueSlowAsync(item, cancellationToken);
    }

    /// <summary>Stops taking writes; those already queued are still committed.</summary>
    public void Stop() => _queue.Writer.TryComplete();

    /// <summary>Stops taking writes and waits until the queued ones are committed and the connection is closed.</summary>
    public async ValueTask DisposeAsync()
    {
        Stop();
        await _loop.ConfigureAwait(false);
    }

    private async Task<T> EnqueueSlowAsync<T>(GroupCommitItem<T> item, CancellationToken cancellationToken)
    {
        try
        {
            await _queue.Writer.WriteAsync(item, cancellationToken).ConfigureAwait(false);
        }
        catch (ChannelClosedException)
        {
            throw new ObjectDisposedException(nameof(SqliteDatabase), "The database was disposed; its group-commit writer is stopped.");
        }

        return await item.Task.ConfigureAwait(false);
    }

    private async Task RunAsync()
    {
        var items = new List<GroupCommitItem>(MaxBatch);
        GroupCommitBatch? batch = null;
        try
        {
            while (await _queue.Reader.WaitToReadAsync().ConfigureAwait(false))
            {
                while (items.Count < MaxBatch && _queue.Reader.TryRead(out var item))
                {
                    if (item.TryTake())
                    {
                        items.Add(item);
                    }
                }

                if (items.Count == 0)
                {
                    continue;
                }

                try
                {
                    batch ??= new GroupCommitBatch(await _database.OpenAsync().ConfigureAwait(false));
                    await CommitAsync(batch, items).ConfigureAwait(false);
                }
                catch (Exception error)
                {
                    // Whatever stopped the batch is the answer of every write in it (those that failed on
                    // their own keep their own error); the loop lives on for the next batch.
                    foreach (var item in items)
                    {
                        item.Fail(ForCaller(error));
                    }

                    // A fresh connection for the next batch: nothing of this one can linger on it.
                    batch?.Dispose();
                    batch = null;
                }

                items.Clear();
            }
        }
        finally
        {
            batch?.Dispose();
        }
    }

    private async Task CommitAsync(GroupCommitBatch batch, List<GroupCommitItem> items)
    {
        await BeginAsync(batch).ConfigureAwait(false);
        var committed = false;
        try
        {
            // The batch's messages reach the search index in one INSERT … SELECT before COMMIT, not one
            // trigger call per row: the same transaction, so search is current the moment a write is
            // acknowledged, at a fraction of the per-row trigger's cost. Every row this batch writes gets
            // a seq at or above firstSeq (the writer holds the lock, and seqs are never reused below a
            // pending import's range), so the range names exactly the batch's surviving rows. A lone write
            // keeps the trigger: for one row the extra statements would cost more than they save.
            var indexTogether = items.Count > 1;
            var firstSeq = indexTogether ? batch.Scalar(NextSeqSql) : null;
            if (indexTogether)
            {
                batch.Execute(DeferIndexingSql);
            }

            foreach (var item in items)
            {
                // One write's error (not found, a constraint) is that caller's answer alone.
                batch.Savepoint();
                try
                {
                    item.Apply(batch);
                    batch.ReleaseSavepoint();
                }
                catch (Exception error)
                {
                    if (!batch.InTransaction)
                    {
                        // SQLite rolled the whole transaction back (I/O error, disk full): every write is lost.
                        throw;
                    }

                    batch.RollbackToSavepoint();
                    item.Fail(ForCaller(error));
                }
            }

            if (indexTogether)
            {
                batch.Execute(IndexBatchSql, ("$first", firstSeq));
                batch.Execute(ResumeIndexingSql);
            }

            batch.Commit();
            committed = true;
        }
        finally
        {
            if (!committed)
            {
                batch.RollbackQuietly();
            }
        }

        // Failed items completed already; completing them again is a no-op.
        foreach (var item in items)
        {
            item.Succeed();
        }
    }

    // Busy past the busy timeout is retried through the database's retry pipeline; the last error reaches every caller.
    private ValueTask BeginAsync(GroupCommitBatch batch) =>
        _database.Retry.ExecuteAsync(
            static (batch, _) =>
            {
                batch.Begin();
                return ValueTask.CompletedTask;
            },
            batch,
            CancellationToken.None);

    // Busy becomes storage_busy (503), one exception per caller so no two tasks rethrow the same object.
    private static Exception ForCaller(Exception error) =>
        SqliteDatabase.TransientErrors.IsTransient(error) ? SqliteDatabase.Busy(error) : error;
}
